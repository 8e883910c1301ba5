import { type PiiCase, evaluatePii, formatEvaluation, parseLabelledText } from './pii.evaluation';

describe('parseLabelledText', () => {
  it('strips markers and returns the expected spans in plain-text offsets', () => {
    const { text, expected } = parseLabelledText('Mail ⟦EMAIL:a@example.com⟧ or call ⟦PHONE:+44 20 7946 0958⟧.');
    expect(text).toBe('Mail a@example.com or call +44 20 7946 0958.');
    expect(expected).toEqual([
      { type: 'EMAIL', start: 5, end: 18 },
      { type: 'PHONE', start: 27, end: 43 },
    ]);
    expect(text.slice(27, 43)).toBe('+44 20 7946 0958');
  });

  it('rejects unknown types and malformed markers', () => {
    expect(() => parseLabelledText('⟦NAME:Jane⟧')).toThrow(RangeError);
    expect(() => parseLabelledText('⟦EMAIL:a@example.com')).toThrow(RangeError);
  });
});

describe('evaluatePii', () => {
  const cases: PiiCase[] = [
    { type: 'EMAIL', kind: 'positive', text: 'Write to ⟦EMAIL:jane@example.com⟧.' }, // tp
    { type: 'EMAIL', kind: 'positive', text: 'Write to ⟦EMAIL:jane at example dot com⟧.' }, // fn (not detectable)
    { type: 'IP', kind: 'negative', text: 'Upgrade from 4.19.0.1 is not possible.' }, // fp
    { type: 'IP', kind: 'negative', text: 'Nothing here.' },
  ];

  it('scores spans strictly and counts cases per type', () => {
    const e = evaluatePii(cases);
    expect(e.perType.EMAIL).toEqual({
      positives: 2,
      negatives: 0,
      truePositives: 1,
      falsePositives: 0,
      falseNegatives: 1,
      precision: 1,
      recall: 0.5,
    });
    expect(e.perType.IP).toMatchObject({ positives: 0, negatives: 2, truePositives: 0, falsePositives: 1, precision: 0, recall: 1 });
    expect(e.perType.CARD).toMatchObject({ precision: 1, recall: 1 });
    expect(e.overall).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5 });
    expect(e.errors.map((x) => x.index)).toEqual([1, 2]);
  });

  it('requires positives to carry a marker of their type and negatives none', () => {
    expect(() => evaluatePii([{ type: 'EMAIL', kind: 'positive', text: 'no marker' }])).toThrow(/without a EMAIL marker/);
    expect(() => evaluatePii([{ type: 'EMAIL', kind: 'negative', text: '⟦EMAIL:a@example.com⟧' }])).toThrow(/with a EMAIL marker/);
    // Other PII in a near miss is marked and scored normally.
    expect(evaluatePii([{ type: 'SSN', kind: 'negative', text: 'Phone ⟦PHONE:212-555-0123⟧' }]).overall.truePositives).toBe(1);
  });

  it('formats a Markdown table with one row per type and an overall row', () => {
    const table = formatEvaluation(evaluatePii(cases)).split('\n');
    expect(table).toHaveLength(2 + 9 + 1);
    expect(table[2]).toBe('| EMAIL | 2 | 0 | 1 | 0 | 1 | 1.000 | 0.500 |');
    expect(table[11]).toMatch(/^\| \*\*overall\*\* \|/);
  });
});
