import { luhnValid } from './checksum.util';
import { type DigitGroup, digitGroupChains, pickWindows } from './digit-groups.util';
import { type PiiCandidate, PRIORITY } from './pii.types';
import { numberEndOk, numberStartOk } from './text.util';

// Payment card numbers (PANs): 13-19 digits, written compact or in the usual groupings with one kind
// of separator (space or dash), a plausible issuer prefix for the length, and a valid Luhn digit.
// Candidates come from one bounded regex (no nested quantifiers); the rest is plain code.

const CANDIDATE = /\d[\d \u00a0\u202f-]{11,44}\d/g;
const SEPS = ' \u00a0\u202f-';
// A comma next to a 13-19 digit run is a list separator ("4111…,5555…"), never thousands grouping.
const GLUE = '.-/:';

interface Issuer {
  prefix: RegExp;
  lengths: readonly number[];
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

const ISSUERS: readonly Issuer[] = [
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^(?:5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, lengths: [16] }, // Mastercard
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(?:6011|64[4-9]|65)/, lengths: range(16, 19) }, // Discover
  { prefix: /^(?:30[0-5]|3095|36|3[89])/, lengths: range(14, 19) }, // Diners Club
  { prefix: /^(?:352[89]|35[3-8]\d)/, lengths: range(16, 19) }, // JCB
  { prefix: /^62/, lengths: range(16, 19) }, // UnionPay
  { prefix: /^(?:5018|5020|5038|5893|6304|6759|676[1-3])/, lengths: range(13, 19) }, // Maestro
  { prefix: /^220[0-4]/, lengths: [16] }, // Mir
];

function plausibleIssuer(digits: string): boolean {
  return ISSUERS.some((issuer) => issuer.prefix.test(digits) && issuer.lengths.includes(digits.length));
}

function plausibleGrouping(groups: readonly DigitGroup[]): boolean {
  if (groups.length === 1) return true;
  const sep = groups[1]?.sep;
  if (!groups.every((g, k) => k === 0 || g.sep === sep)) return false;
  const lengths = groups.map((g) => g.digits.length);
  const shape = lengths.join('-');
  if (shape === '4-6-5' || shape === '4-6-4') return true; // Amex, Diners
  return lengths.every((len, k) => (k === lengths.length - 1 ? len >= 1 && len <= 4 : len === 4));
}

/** True when `digits` (no separators) is a plausible, Luhn-valid card number. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && plausibleIssuer(digits) && luhnValid(digits);
}

export function detectCards(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    for (const chain of digitGroupChains(text, m.index, m.index + m[0].length, SEPS)) {
      const windows = pickWindows(
        chain,
        [13, 19],
        (i) => {
          const g = chain[i];
          // Every accepted grouping starts with 4 digits, or is one 13-19 digit group.
          if (g === undefined || (g.digits.length !== 4 && g.digits.length < 13)) return false;
          return (i === 0 || g.sep !== '-') && numberStartOk(text, g.start, GLUE);
        },
        (i, j) => {
          const groups = chain.slice(i, j + 1);
          const last = groups[groups.length - 1];
          if (last === undefined || !plausibleGrouping(groups) || !numberEndOk(text, last.end, GLUE)) return false;
          return isCardNumber(groups.map((g) => g.digits).join(''));
        },
      );
      for (const [i, j] of windows) {
        out.push({ type: 'CARD', start: chain[i]?.start ?? 0, end: chain[j]?.end ?? 0, priority: PRIORITY.CARD });
      }
    }
  }
  return out;
}
