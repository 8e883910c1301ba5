import { detectPii } from './index';
import { resolveOverlaps } from './pii.detector';
import { parseLabelledText } from './pii.evaluation';
import type { PiiMatch } from './pii.types';
import { PII_CASES } from './testing/pii-cases';

const found = (text: string): string[] => detectPii(text).map((m) => `${m.type}:${text.slice(m.start, m.end)}`);

describe('detectPii', () => {
  it('returns only type, start and end (never the matched text)', () => {
    const [match] = detectPii('mail jane@example.com');
    expect(match).toEqual({ type: 'EMAIL', start: 5, end: 21 });
    expect(Object.keys(match!).sort()).toEqual(['end', 'start', 'type']);
  });

  it('returns matches sorted by start and never overlapping (whole corpus)', () => {
    for (const c of PII_CASES) {
      const matches = detectPii(parseLabelledText(c.text).text);
      for (let k = 1; k < matches.length; k++) expect(matches[k]!.start).toBeGreaterThanOrEqual(matches[k - 1]!.end);
    }
  });

  it('reports offsets in UTF-16 code units, correct after emoji, combining marks and CJK', () => {
    const text = '👩‍💻 Ünïcödé 日本語テキスト e\u0301 — mail: zoë@exämple.de, tel ☎ +49 30 123456 🎉 IBAN DE89 3704 0044 0532 0130 00';
    const matches = detectPii(text);
    expect(matches.map((m) => `${m.type}:${text.slice(m.start, m.end)}`)).toEqual([
      'EMAIL:zoë@exämple.de',
      'PHONE:+49 30 123456',
      'IBAN:DE89 3704 0044 0532 0130 00',
    ]);
    expect(matches[0]!.start).toBe(text.indexOf('zoë@'));
    expect(matches[2]!.end).toBe(text.length);
  });

  it('does not start or end a match inside a word in any script', () => {
    expect(found('Straßeabc123-45-6789')).toEqual([]);
    expect(found('ж192.168.1.10')).toEqual([]);
    expect(found('user@example.comж')).toEqual([]);
  });
});

describe('overlap resolution', () => {
  it('prefers a Luhn-valid card over phone-shaped pieces of it', () => {
    expect(found('pay with 4111 1111 1111 1111 now')).toEqual(['CARD:4111 1111 1111 1111']);
    expect(found('call 0049 30 12345678 or pay 5555 5555 5555 4444')).toEqual(['PHONE:0049 30 12345678', 'CARD:5555 5555 5555 4444']);
  });

  it('prefers an IBAN over the digit groups inside it', () => {
    expect(found('IBAN NL91 ABNA 0417 1643 00 and DE89 3704 0044 0532 0130 00')).toEqual([
      'IBAN:NL91 ABNA 0417 1643 00',
      'IBAN:DE89 3704 0044 0532 0130 00',
    ]);
  });

  it('prefers an email over a high-entropy token in its local part', () => {
    expect(found('from Zx8Kq2Lm9Pw4Rt7Vb1Nc6Hd3Jf5Gs0Ya8@example.com')).toEqual(['EMAIL:Zx8Kq2Lm9Pw4Rt7Vb1Nc6Hd3Jf5Gs0Ya8@example.com']);
  });

  it('prefers the credential reading of an assignment over the shape of its value', () => {
    expect(found('password=4111111111111111')).toEqual(['SECRET:4111111111111111']);
    expect(found('DATABASE_URL=postgres://app:S3cr3tPa55@db.internal:5432/app')).toEqual(['SECRET:S3cr3tPa55']);
  });

  it('keeps the longer candidate, then the higher priority, then the earlier one', () => {
    const m = (type: PiiMatch['type'], start: number, end: number, priority: number) => ({ type, start, end, priority });
    expect(resolveOverlaps([m('PHONE', 0, 10, 50), m('CARD', 2, 20, 85), m('EMAIL', 25, 30, 75)])).toEqual([
      { type: 'CARD', start: 2, end: 20 },
      { type: 'EMAIL', start: 25, end: 30 },
    ]);
    expect(resolveOverlaps([m('PHONE', 0, 10, 50), m('SSN', 0, 10, 80)])).toEqual([{ type: 'SSN', start: 0, end: 10 }]);
    // A chain A-B-C where B overlaps both: B (longest) wins, A and C are dropped.
    expect(resolveOverlaps([m('IP', 0, 5, 70), m('SECRET', 3, 12, 10), m('IP', 10, 14, 70)])).toEqual([
      { type: 'SECRET', start: 3, end: 12 },
    ]);
    expect(resolveOverlaps([m('IP', 0, 5, 70), m('IP', 5, 9, 70), m('IP', 4, 4, 70)])).toEqual([
      { type: 'IP', start: 0, end: 5 },
      { type: 'IP', start: 5, end: 9 },
    ]);
  });
});

describe('performance', () => {
  // Guard against catastrophic regex backtracking, not a benchmark: every detector is linear and a
  // 1 MB text takes well under a second; 10 s only fails if some pattern goes super-linear.
  const MB = 1 << 20;
  const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
  const corpus = PII_CASES.map((c) => parseLabelledText(c.text).text).join('\n');

  it.each([
    ['mixed prose and PII', fill(`${corpus}\nLorem ipsum dolor sit amet, die Hauptstraße ist lang. `)],
    ['digits', fill('1234567890')],
    ['spaced digits', fill('1 ')],
    ['dashed digit groups', fill('123-')],
    ['dotted numbers', fill('1.')],
    ['hex and colons', fill('ab12:')],
    ['at signs', fill('a.b@c.')],
    ['long local parts and domains', fill(`${'x'.repeat(70)}@${'y'.repeat(300)}.com `)],
    ['one huge token', fill('aB3+/x9Z')],
    ['capitalised words', fill('Abcdestraße Hauptweg ')],
    ['assignments', fill('token=')],
    ['birth words', fill('born 1 ')],
    ['unterminated private key', `-----BEGIN PRIVATE KEY-----\n${fill('ab+/')}`],
  ])('scans 1 MB of %s quickly', (_name, text) => {
    const started = performance.now();
    detectPii(text);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
