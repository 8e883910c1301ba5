// Character-class helpers shared by the detectors. All of them look at one UTF-16 code unit (a
// surrogate half is neither a letter nor a digit, which is the safe answer at a boundary).

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;

export function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

export function isAsciiLetter(ch: string | undefined): boolean {
  return ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
}

/** Letters (any script), combining marks, digits and `_`. */
export function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  if (ch.charCodeAt(0) < 128) return isAsciiLetter(ch) || isDigit(ch) || ch === '_';
  return WORD_CHAR.test(ch);
}

/** Space-like separators allowed inside numbers: space, no-break space, narrow no-break space. */
export function isSpaceSep(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\u00a0' || ch === '\u202f';
}

/**
 * True when a number-like token may start at `start`: the character before is not part of a word, and
 * is not one of `glue` (default `.`, `,`, `-`, `/`, `:`) stuck to a digit, which would make the token a
 * piece of a longer number such as `1.2.3`, `1,234`, `12-34` or `10:30`.
 */
export function numberStartOk(text: string, start: number, glue = '.,-/:'): boolean {
  const prev = text[start - 1];
  if (prev === undefined) return true;
  if (isWordChar(prev)) return false;
  if (glue.includes(prev) && isDigit(text[start - 2])) return false;
  return true;
}

/** Mirror of `numberStartOk` for the character at `end`. */
export function numberEndOk(text: string, end: number, glue = '.,-/:'): boolean {
  const next = text[end];
  if (next === undefined) return true;
  if (isWordChar(next)) return false;
  if (glue.includes(next) && isDigit(text[end + 1])) return false;
  return true;
}

/** Shannon entropy of the characters of `s`, in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const freq = new Map<string, number>();
  for (const ch of s) freq.set(ch, (freq.get(ch) ?? 0) + 1);
  let bits = 0;
  const n = [...s].length;
  for (const count of freq.values()) {
    const p = count / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}
