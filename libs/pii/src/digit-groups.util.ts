import { isDigit } from './text.util';

/** A run of ASCII digits inside a number-like token, with the single separator character before it. */
export interface DigitGroup {
  start: number;
  end: number;
  digits: string;
  /** Separator before this group ('' for the first group of a chain). */
  sep: string;
}

/**
 * Splits `text[from, to)` into chains of digit groups joined by exactly one separator from `seps`.
 * Two separators in a row, or any other character, end a chain. Linear in `to - from`.
 */
export function digitGroupChains(text: string, from: number, to: number, seps: string): DigitGroup[][] {
  const chains: DigitGroup[][] = [];
  let chain: DigitGroup[] = [];
  let i = from;
  let pendingSep = '';
  while (i < to) {
    const ch = text[i];
    if (isDigit(ch)) {
      const start = i;
      while (i < to && isDigit(text[i])) i++;
      chain.push({ start, end: i, digits: text.slice(start, i), sep: chain.length === 0 ? '' : pendingSep });
      pendingSep = '';
      continue;
    }
    if (ch !== undefined && seps.includes(ch) && chain.length > 0 && pendingSep === '' && isDigit(text[i + 1])) {
      pendingSep = ch;
      i++;
      continue;
    }
    if (chain.length > 0) chains.push(chain);
    chain = [];
    pendingSep = '';
    i++;
  }
  if (chain.length > 0) chains.push(chain);
  return chains;
}

/**
 * Tries the windows `groups[i..j]` of a chain, earliest start first and longest first, and returns
 * the accepted ones (non-overlapping). `canStart(i)` says whether a window may begin at group `i`;
 * `digitRange` limits windows to those with that many digits (checked with prefix sums, so a long
 * chain of tiny groups costs O(groups × range) rather than O(groups²) validations).
 */
export function pickWindows(
  groups: readonly DigitGroup[],
  digitRange: readonly [number, number],
  canStart: (i: number) => boolean,
  accept: (i: number, j: number) => boolean,
): Array<[number, number]> {
  const before = [0];
  for (const g of groups) before.push((before[before.length - 1] ?? 0) + g.digits.length);
  const digits = (i: number, j: number): number => (before[j + 1] ?? 0) - (before[i] ?? 0);
  const [min, max] = digitRange;
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < groups.length) {
    let found = -1;
    if (canStart(i)) {
      let j = i;
      while (j + 1 < groups.length && digits(i, j + 1) <= max) j++;
      for (; j >= i && digits(i, j) >= min; j--) {
        if (digits(i, j) <= max && accept(i, j)) {
          found = j;
          break;
        }
      }
    }
    if (found >= 0) {
      out.push([i, found]);
      i = found + 1;
    } else {
      i++;
    }
  }
  return out;
}
