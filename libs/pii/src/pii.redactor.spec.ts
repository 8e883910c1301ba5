import { countPii, detectPii, piiPlaceholder, redactPii } from './index';
import { parseLabelledText } from './pii.evaluation';
import { PII_CASES } from './testing/pii-cases';

const SAMPLE =
  'Contact jane.doe@example.com or +44 20 7946 0958. Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, ' +
  'from 203.0.113.42, SSN 123-45-6789, born on 1990-04-12, key AKIAIOSFODNN7EXAMPLE, at 221B Baker Street, London NW1 6XE. ' +
  'Second mail: ops@example.org.';

describe('redactPii', () => {
  it('replaces each span with its [TYPE] placeholder and counts per type', () => {
    const result = redactPii(SAMPLE);
    expect(result.text).toBe(
      'Contact [EMAIL] or [PHONE]. Card [CARD], IBAN [IBAN], from [IP], SSN [SSN], born on [DOB], key [SECRET], at [ADDRESS]. ' +
        'Second mail: [EMAIL].',
    );
    expect(result.counts).toEqual({ EMAIL: 2, PHONE: 1, CARD: 1, IBAN: 1, IP: 1, SSN: 1, DOB: 1, SECRET: 1, ADDRESS: 1 });
    expect(result.total).toBe(10);
  });

  it('returns the text unchanged, empty counts and total 0 when there is no PII', () => {
    const text = 'Plain prose about version 1.2.3 and 42 apples.';
    expect(redactPii(text)).toEqual({ text, counts: {}, total: 0 });
    expect(redactPii('')).toEqual({ text: '', counts: {}, total: 0 });
  });

  it('uses [TYPE] placeholders', () => {
    expect(piiPlaceholder('EMAIL')).toBe('[EMAIL]');
    expect(piiPlaceholder('ADDRESS')).toBe('[ADDRESS]');
  });

  it('is idempotent: redacting redacted text changes nothing (sample and whole corpus)', () => {
    const once = redactPii(SAMPLE).text;
    expect(redactPii(once)).toEqual({ text: once, counts: {}, total: 0 });
    for (const c of PII_CASES) {
      const redacted = redactPii(parseLabelledText(c.text).text).text;
      expect(redactPii(redacted).text).toBe(redacted);
    }
  });

  it('keys the counts in PII_TYPES order and only for types that occurred', () => {
    expect(Object.keys(redactPii(SAMPLE).counts)).toEqual(['EMAIL', 'PHONE', 'CARD', 'IBAN', 'IP', 'SSN', 'DOB', 'SECRET', 'ADDRESS']);
    expect(countPii('mail a@example.com and b@example.com')).toEqual({ EMAIL: 2 });
  });
});

describe('types filter', () => {
  it('runs only the selected detectors', () => {
    const result = redactPii(SAMPLE, { types: ['EMAIL', 'SSN'] });
    expect(result.counts).toEqual({ EMAIL: 2, SSN: 1 });
    expect(result.text).toContain('Contact [EMAIL] or +44 20 7946 0958.');
    expect(result.text).toContain('Card 4111 1111 1111 1111');
    expect(result.text).toContain('SSN [SSN]');
    expect(detectPii(SAMPLE, { types: ['IBAN'] }).map((m) => m.type)).toEqual(['IBAN']);
  });

  it('does not report a card as a phone number when only PHONE is selected', () => {
    const text = 'Card 4111 1111 1111 1111, call +1 415 555 2671';
    expect(detectPii(text, { types: ['PHONE'] })).toEqual([{ type: 'PHONE', start: text.indexOf('+'), end: text.length }]);
  });

  it('an empty list detects nothing; an unknown type throws', () => {
    expect(redactPii(SAMPLE, { types: [] })).toEqual({ text: SAMPLE, counts: {}, total: 0 });
    expect(() => detectPii(SAMPLE, { types: ['NAME' as never] })).toThrow(RangeError);
  });

  it('countPii agrees with redactPii for every type filter', () => {
    for (const type of ['EMAIL', 'CARD', 'SECRET'] as const) {
      expect(countPii(SAMPLE, { types: [type] })).toEqual(redactPii(SAMPLE, { types: [type] }).counts);
    }
    expect(countPii(SAMPLE)).toEqual(redactPii(SAMPLE).counts);
  });
});
