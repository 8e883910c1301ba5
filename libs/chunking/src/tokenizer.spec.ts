import { Tiktoken } from 'js-tiktoken/lite';
import cl100k_base from 'js-tiktoken/ranks/cl100k_base';
import { cl100kTokenizer, mayHaveLongRun } from './tokenizer';

let reference: Tiktoken | undefined;
/** js-tiktoken (OpenAI's BPE ported as is) without the long-run guard, as the reference for exact ids. */
function rawEncode(text: string): number[] {
  reference ??= new Tiktoken(cl100k_base);
  return reference.encode(text, [], []);
}

describe('cl100kTokenizer', () => {
  const tok = cl100kTokenizer();

  it('is named after its encoding and shared', () => {
    expect(tok.name).toBe('cl100k_base');
    expect(cl100kTokenizer()).toBe(tok);
  });

  it('counts known strings like OpenAI cl100k_base', () => {
    expect(tok.count('hello world')).toBe(2);
    expect(tok.encode('hello world')).toEqual([15339, 1917]);
    expect(tok.count('')).toBe(0);
    expect(tok.count('The quick brown fox jumps over the lazy dog.')).toBe(10);
  });

  it('round-trips text, including multi-byte characters', () => {
    const text = 'Ünïcödé — 日本語のテキスト 😀 and\n\tcode();';
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('treats special-token strings in documents as plain text instead of throwing', () => {
    const text = 'a document mentioning <|endoftext|> literally';
    expect(() => tok.encode(text)).not.toThrow();
    expect(tok.encode(text)).not.toContain(100257);
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('stays fast on huge unbroken runs (quadratic in js-tiktoken) and still round-trips them', () => {
    // Unguarded (plain js-tiktoken), the first of these alone takes about 20 s.
    for (const run of [
      'abcdefghij'.repeat(2_000),
      '='.repeat(50_000),
      `x${' '.repeat(50_000)}y`,
      '日本語'.repeat(2_000),
      '😀'.repeat(5_000),
    ]) {
      const started = performance.now();
      const tokens = tok.encode(run);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(tok.decode(tokens)).toBe(run);
      expect(tok.count(run)).toBe(tokens.length);
    }
  });

  it('counts ordinary text exactly like cl100k_base, runs of up to 64 characters included', () => {
    const word = 'Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung'.slice(0, 64);
    const text = `A sentence with a long word ${word} and ${'-'.repeat(64)} rules.\n\n${' '.repeat(60)}indented`;
    expect(tok.encode(text)).toEqual(rawEncode(text));
    expect(tok.encode(word)).toEqual(rawEncode(word));
    const prose = 'Retrieval-augmented generation (RAG) pairs a retriever with a generator. '.repeat(50);
    expect(tok.encode(prose)).toEqual(rawEncode(prose));
  });

  it('gives the same ids as the reference on mixed scripts, code, numbers and markup', () => {
    const text = [
      '# Überschrift — 日本語のテキスト, 中文文本, Ελληνικά, русский текст 😀👍🏽',
      "```ts\nconst x: Map<string, number[]> = new Map(); // it's 2026-12-05T09:15:00Z\n```",
      'Prices: $1,234.56 / €99 — 3.14159e-10; IPv6 ::1; emails a.b@example.org',
      '<div class="x">&nbsp;</div>\r\n\ttabs\u00a0nbsp  double  spaces\n\n\n',
    ]
      .join('\n')
      .repeat(20);
    expect(tok.encode(text)).toEqual(rawEncode(text));
  });
});

describe('mayHaveLongRun (the pre-check before the long-run scan)', () => {
  const regex = /\S{65}|\s{65}/;
  // Every code unit JavaScript's \s matches, and a few that it does not.
  const spaces = ' \t\n\v\f\r\u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
  const others = 'a.Z9-\u200b\u00ff\u0085é😀';

  it('agrees with /\\S{65}|\\s{65}/ on runs just under, at and over the limit of every kind', () => {
    for (const pool of [spaces, others]) {
      for (const n of [1, 63, 64, 65, 66, 200]) {
        const run = Array.from({ length: n }, (_, i) => pool[i % pool.length])
          .join('')
          .slice(0, n);
        for (const text of [run, `x ${run} y`, `${run}${run.slice(0, 1)}`]) {
          expect(mayHaveLongRun(text)).toBe(regex.test(text));
        }
      }
    }
  });

  it('agrees with the regex on random mixtures', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let k = 0; k < 300; k++) {
      let text = '';
      while (text.length < 400) {
        const pool = rnd() < 0.5 ? spaces : others;
        const len = Math.floor(rnd() * 80);
        for (let i = 0; i < len; i++) text += pool[Math.floor(rnd() * pool.length)];
      }
      expect(mayHaveLongRun(text)).toBe(regex.test(text));
    }
  });
});
