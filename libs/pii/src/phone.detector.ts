import { isCardNumber } from './card.detector';
import { type PiiCandidate, PRIORITY } from './pii.types';
import { isDigit, isSpaceSep, numberEndOk, numberStartOk } from './text.util';

// Phone numbers. Precision first: a digit sequence is a phone number only when it has one of these
// shapes (7-15 digits in all cases):
//   - international: `+CC …` (valid ITU country code; compact `+4930123456` allowed) or `00CC …`
//     with separators;
//   - North American: `(555) 123-4567`, `555-123-4567`, `555.123.4567`, `555 123 4567`, `1-800-…`;
//   - national with trunk prefix 0: `020 7946 0958`, `030 123456`, `089/12345678`, `06 12 34 56 78`;
//   - anything with separators right after a phone word (`Tel.`, `phone:`, `call`, `Handy`, …).
// Dates, versions, times, ZIP+4 codes, ISBNs, card numbers and plain digit runs without `+` are
// rejected. Candidates come from one bounded regex; grouping and validation are plain code.

const CANDIDATE = /[+(]?\d[\d \u00a0\u202f()./-]{5,32}\d\)?/g;
const SEPS = ' \u00a0\u202f-./';
const CONTEXT =
  /(?<![\p{L}])(?:phone|telephone|tel|call|mobile|mob|cell|fax|telefon|tél|téléphone|portable|handy|mobil|whatsapp|sms|teléfono|móvil|celular)(?![\p{L}])[.:#]?[^\n\d]{0,12}$/iu;

// "DE89 " or "NL91 ABNA " right before the digits: the rest of an IBAN (valid or not), not a phone number.
const IBAN_HEAD_BEFORE = /[A-Z]{2}\d{2}(?:[ \u00a0][A-Z0-9]{4}){0,7}[ \u00a0]$/;

// ITU-T E.164 country codes: all 1- and 2-digit codes; 3-digit codes live in the 2-digit zones listed.
const CC_2 = new Set([
  '20',
  '27',
  '30',
  '31',
  '32',
  '33',
  '34',
  '36',
  '39',
  '40',
  '41',
  '43',
  '44',
  '45',
  '46',
  '47',
  '48',
  '49',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '82',
  '84',
  '86',
  '90',
  '91',
  '92',
  '93',
  '94',
  '95',
  '98',
]);
const CC_3_ZONES = new Set([
  '21',
  '22',
  '23',
  '24',
  '25',
  '26',
  '29',
  '35',
  '37',
  '38',
  '42',
  '50',
  '59',
  '67',
  '68',
  '69',
  '85',
  '87',
  '88',
  '96',
  '97',
  '99',
]);

export function isCountryCode(cc: string): boolean {
  if (cc === '1' || cc === '7') return true;
  if (cc.length === 2) return CC_2.has(cc);
  if (cc.length === 3) return CC_3_ZONES.has(cc.slice(0, 2));
  return false;
}

interface PhoneGroup {
  /** Offset of the group's first character (`(` for a parenthesised group). */
  start: number;
  end: number;
  digits: string;
  sep: string;
  paren: boolean;
}

interface PhoneChain {
  plus: boolean;
  /** Offset of the `+`, when there is one. */
  plusAt: number;
  groups: PhoneGroup[];
}

function readGroup(text: string, p: number, to: number): { end: number; digits: string; paren: boolean } | undefined {
  if (text[p] === '(') {
    let q = p + 1;
    while (q < to && q - p <= 5 && isDigit(text[q])) q++;
    if (q === p + 1 || text[q] !== ')') return undefined;
    return { end: q + 1, digits: text.slice(p + 1, q), paren: true };
  }
  if (!isDigit(text[p])) return undefined;
  let q = p;
  while (q < to && isDigit(text[q])) q++;
  return { end: q, digits: text.slice(p, q), paren: false };
}

/** Splits a candidate into chains of groups; a chain ends at anything that cannot join two groups. */
function phoneChains(text: string, from: number, to: number): PhoneChain[] {
  const chains: PhoneChain[] = [];
  let p = from;
  while (p < to) {
    const plus = text[p] === '+';
    const plusAt = p;
    if (plus) p++;
    const first = readGroup(text, p, to);
    if (first === undefined) {
      p++;
      continue;
    }
    const groups: PhoneGroup[] = [{ start: p, end: first.end, digits: first.digits, sep: '', paren: first.paren }];
    p = first.end;
    while (p < to) {
      const prev = groups[groups.length - 1];
      let sep = '';
      let q = p;
      const ch = text[q];
      if (ch !== undefined && SEPS.includes(ch)) {
        sep = ch;
        q++;
      } else if (ch !== '(' && !prev?.paren) {
        break;
      }
      const next = readGroup(text, q, to);
      if (next === undefined) break;
      groups.push({ start: q, end: next.end, digits: next.digits, sep, paren: next.paren });
      p = next.end;
    }
    chains.push({ plus, plusAt, groups });
  }
  return chains;
}

function isDateShaped(groups: readonly PhoneGroup[]): boolean {
  if (groups.length !== 3 || groups.some((g) => g.paren)) return false;
  const [a, b, c] = groups.map((g) => g.digits) as [string, string, string];
  const sep = groups[1]?.sep;
  if (sep !== groups[2]?.sep || sep === undefined || !'.-/'.includes(sep)) return false;
  const small = (s: string): boolean => s.length <= 2 && Number(s) >= 1 && Number(s) <= 31;
  if (a.length === 4) return small(b) && small(c); // 2024-01-15
  return small(a) && small(b) && (c.length === 2 || c.length === 4); // 15.01.2024, 01/15/24
}

function isNorthAmerican(groups: readonly PhoneGroup[]): boolean {
  let g = groups;
  if (g.length === 4 && g[0]?.digits === '1' && !g[0].paren) g = g.slice(1);
  if (g.length !== 3) return false;
  const [area, exchange, line] = g as [PhoneGroup, PhoneGroup, PhoneGroup];
  if (area.digits.length !== 3 || exchange.digits.length !== 3 || line.digits.length !== 4) return false;
  // NANP area codes start with 2-9. The exchange rule (also 2-9) is not enforced: fictional numbers
  // such as 555-123-4567 are how people write examples, and they should still be redacted.
  if (!/^[2-9]/.test(area.digits)) return false;
  const spaceOrDash = (s: string): boolean => s === '-' || isSpaceSep(s);
  if (area.paren) return (exchange.sep === '' || spaceOrDash(exchange.sep)) && (line.sep === '.' || spaceOrDash(line.sep));
  return exchange.sep === line.sep && (exchange.sep === '.' || spaceOrDash(exchange.sep));
}

function isTrunkNational(groups: readonly PhoneGroup[], digitCount: number): boolean {
  const first = groups[0];
  if (first === undefined || groups.length < 2 || !/^0[1-9]\d{0,4}$/.test(first.digits)) return false;
  if (digitCount < 9 || digitCount > 12) return false;
  if (groups.some((g, k) => g.digits.length < 2 || (k > 1 && g.sep === '/'))) return false;
  // Two groups: the subscriber part is at least 5 digits (rules out ZIP+4 `02134-1234`).
  if (groups.length === 2 && (groups[1]?.digits.length ?? 0) < 5) return false;
  return true;
}

function validPhone(text: string, chain: PhoneChain): boolean {
  const { groups, plus } = chain;
  const first = groups[0];
  if (first === undefined) return false;
  const counted = groups.filter((g) => !(plus && g.paren && g.digits === '0')); // "+44 (0)20 …"
  const digits = counted.map((g) => g.digits).join('');
  const n = digits.length;
  if (n < 7 || n > 17) return false;
  const seps = groups.slice(1).map((g) => g.sep);
  if (seps.includes('.') && !seps.every((s) => s === '.')) return false; // 1.2.3 4, dates with times
  if (seps.filter((s) => s === '/').length > 1) return false;

  if (plus) {
    if (n < 8 || n > 15 || first.paren || first.digits.startsWith('0')) return false;
    const cc = first.digits;
    if (cc === '1' && n !== 11) return false; // NANP: +1 and exactly ten digits
    return cc.length <= 3 ? isCountryCode(cc) : [1, 2, 3].some((len) => isCountryCode(cc.slice(0, len)));
  }
  if (groups.length < 2 || isDateShaped(groups)) return false;
  if (n >= 13 && isCardNumber(digits)) return false;
  if (first.digits.startsWith('00') && !first.paren) {
    const cc = first.digits.slice(2);
    return cc.length >= 1 && cc.length <= 3 && isCountryCode(cc) && n - 2 >= 8 && n - 2 <= 15;
  }
  if (n > 15) return false;
  if (isNorthAmerican(groups)) return true;
  if (isTrunkNational(groups, n)) return true;
  const start = first.start;
  return n <= 12 && groups.every((g) => g.digits.length >= 2) && CONTEXT.test(text.slice(Math.max(0, start - 30), start));
}

export function detectPhones(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    for (const chain of phoneChains(text, m.index, m.index + m[0].length)) {
      // The whole chain or nothing: a phone-shaped piece of a longer digit sequence (a hex dump, an
      // IBAN with a typo, a truncated candidate) is not reported.
      const first = chain.groups[0];
      const last = chain.groups[chain.groups.length - 1];
      if (first === undefined || last === undefined) continue;
      const start = chain.plus ? chain.plusAt : first.start;
      if (!numberStartOk(text, start) || text[start - 1] === '+' || !numberEndOk(text, last.end) || text[last.end] === '(') continue;
      if (IBAN_HEAD_BEFORE.test(text.slice(Math.max(0, start - 42), start))) continue;
      if (isSpaceSep(text[last.end]) && isDigit(text[last.end + 1])) continue; // candidate cut by its length bound
      if (validPhone(text, chain)) out.push({ type: 'PHONE', start, end: last.end, priority: PRIORITY.PHONE });
    }
  }
  return out;
}
