import { ibanChecksumValid } from './checksum.util';
import { type PiiCandidate, PRIORITY } from './pii.types';
import { isSpaceSep, isWordChar } from './text.util';

// IBANs: country code, two check digits, BBAN. Written compact (`DE89370400440532013000`) or in
// groups of four separated by single spaces (`DE89 3704 0044 0532 0130 00`), upper case. The length
// must match the country (SWIFT IBAN registry) or, for countries not in the table, be 15-34; the
// mod-97 checksum must be 1. The start is found by a fixed-length regex; the body is read by code.

const START = /(?<![\p{L}\p{N}_])[A-Z]{2}\d{2}(?=[ \u00a0\u202f]?[A-Z0-9])/gu;
const MAX_LENGTH = 34;

/** IBAN length per country, from the SWIFT IBAN registry. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

const isIbanChar = (ch: string | undefined): boolean => ch !== undefined && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));

function lengthOk(country: string, length: number): boolean {
  const expected = IBAN_LENGTHS[country];
  return expected !== undefined ? length === expected : length >= 15 && length <= MAX_LENGTH;
}

/** True when `compact` (no spaces) is a well-formed IBAN with a valid checksum. */
export function isIban(compact: string): boolean {
  return lengthOk(compact.slice(0, 2), compact.length) && ibanChecksumValid(compact);
}

/** Ends (exclusive offsets) of the groups of a spaced IBAN starting at `start`, first group included. */
function spacedGroupEnds(text: string, start: number): number[] {
  const ends = [start + 4];
  let p = start + 4;
  let length = 4;
  while (length < MAX_LENGTH && isSpaceSep(text[p]) && isIbanChar(text[p + 1])) {
    let q = p + 1;
    while (q < p + 5 && isIbanChar(text[q])) q++;
    if (isWordChar(text[q])) break; // not a group: "BE68 5390 0754 7034 Bank"
    const size = q - p - 1;
    length += size;
    ends.push(q);
    p = q;
    if (size < 4) break; // only the last group may be short
  }
  return ends;
}

export function detectIbans(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  START.lastIndex = 0;
  for (let m = START.exec(text); m !== null; m = START.exec(text)) {
    const start = m.index;
    const country = m[0].slice(0, 2);
    let end = -1;
    if (isIbanChar(text[start + 4])) {
      let q = start + 4;
      while (q - start < MAX_LENGTH && isIbanChar(text[q])) q++;
      if (!isWordChar(text[q]) && isIban(text.slice(start, q))) end = q;
    } else {
      // Longest group prefix first: the full chain may be followed by an unrelated group ("… 00 1234").
      const ends = spacedGroupEnds(text, start);
      for (let k = ends.length - 1; k >= 1 && end < 0; k--) {
        const e = ends[k] ?? 0;
        const compact = text.slice(start, e).replace(/[ \u00a0\u202f]/g, '');
        if (lengthOk(country, compact.length) && ibanChecksumValid(compact)) end = e;
      }
    }
    if (end > 0) {
      out.push({ type: 'IBAN', start, end, priority: PRIORITY.IBAN });
      START.lastIndex = end;
    }
  }
  return out;
}
