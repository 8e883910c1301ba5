import { type CountedSegment, TokenCursor, tokenTail } from './token-cursor';
import { cl100kTokenizer } from './tokenizer';

const tok = cl100kTokenizer();

function splitByTokens(text: string, maxTokens: number): CountedSegment[] {
  const cursor = new TokenCursor(text, tok);
  const out: CountedSegment[] = [];
  for (let piece = cursor.take(maxTokens); piece !== undefined; piece = cursor.take(maxTokens)) out.push(piece);
  expect(cursor.done).toBe(true);
  return out;
}

describe('TokenCursor', () => {
  it('cuts into trimmed pieces within the budget that reassemble to the input', () => {
    const text = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const pieces = splitByTokens(text, 20);
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil(tok.count(text) / 20));
    for (const piece of pieces) {
      expect(piece.tokens).toBeLessThanOrEqual(20);
      expect(piece.ids).toHaveLength(piece.tokens);
      expect(tok.decode(piece.ids!).trim()).toBe(piece.text);
      expect(tok.count(piece.text)).toBeLessThanOrEqual(20);
      expect(piece.text).toBe(piece.text.trim());
      // Cuts fall between words: every piece starts and ends with a whole "wordN".
      expect(piece.text).toMatch(/^word\d+( word\d+)*$/);
    }
    expect(pieces.map((p) => p.sep + p.text).join('')).toBe(text);
  });

  it('never cuts through a multi-byte character', () => {
    const text = '日本語のテキスト😀👩‍👩‍👧'.repeat(50);
    const pieces = splitByTokens(text, 16);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.some((p) => p.text.includes('\uFFFD'))).toBe(false);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.every((p) => p.tokens <= 16)).toBe(true);
  });

  it('hands out pieces sized to each request and reports when done', () => {
    const cursor = new TokenCursor('alpha beta gamma delta epsilon zeta eta theta', tok, '\n\n');
    const first = cursor.take(3);
    expect(first).toEqual({ text: 'alpha beta gamma', sep: '\n\n', tokens: 3, ids: tok.encode('alpha beta gamma') });
    expect(cursor.take(0)).toBeUndefined();
    const second = cursor.take(100);
    expect(second).toMatchObject({ text: 'delta epsilon zeta eta theta', sep: ' ', tokens: tok.count('delta epsilon zeta eta theta') });
    expect(cursor.done).toBe(true);
    expect(cursor.take(100)).toBeUndefined();
  });
});

describe('tokenTail', () => {
  it('returns a trimmed suffix within the budget', () => {
    const text = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const tail = tokenTail(text, 10, tok);
    expect(tail).toBeDefined();
    expect(text.endsWith(tail!.text)).toBe(true);
    expect(tail!.tokens).toBe(tok.count(tail!.text));
    expect(tail!.tokens).toBeLessThanOrEqual(10);
    expect(tail!.tokens).toBeGreaterThanOrEqual(8);
  });

  it('keeps multi-byte characters whole and returns nothing for a zero budget', () => {
    const text = '😀日本語'.repeat(20);
    const tail = tokenTail(text, 5, tok);
    expect(tail?.text.includes('\uFFFD')).toBe(false);
    expect(text.endsWith(tail!.text)).toBe(true);
    expect(tokenTail(text, 0, tok)).toBeUndefined();
  });
});
