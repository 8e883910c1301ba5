import { type PiiCandidate, PRIORITY } from './pii.types';

// Dates of birth: a full date (day, month and year) that follows a birth word (born, DOB, date of
// birth, birthday, geboren, geb., Geburtsdatum, né/née, date de naissance, fecha de nacimiento,
// nacido/a) by at most 30 characters, in the same sentence. The span is the date only. A plain date
// without such a word is not reported: most dates in documents are not birth dates.
// Formats: 1990-04-12, 1990/04/12, 12/04/1990, 04/12/1990, 12.04.1990, 12-04-1990, two-digit years
// (12/04/90), 12 April 1990, 12. April 1990, 12th of April 1990, 12 de abril de 1990, 1er mai 1985,
// April 12, 1990 (English, German, French and Spanish month names and common abbreviations).

const CONTEXT_WINDOW = 30;
const KEYWORD =
  /(?<![\p{L}\p{N}])(?:born|d\.?o\.?b\.?|date of birth|birth ?date|birthday|geboren|geb\.|geburtsdatum|geburtstag|née|né|date de naissance|fecha de nacimiento|f\. ?nac\.|nacid[oa])(?![\p{L}\p{N}])/giu;

const MONTHS: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  januar: 1,
  janvier: 1,
  enero: 1,
  ene: 1,
  jänner: 1,
  february: 2,
  feb: 2,
  februar: 2,
  février: 2,
  fevrier: 2,
  febrero: 2,
  févr: 2,
  march: 3,
  mar: 3,
  märz: 3,
  maerz: 3,
  mars: 3,
  marzo: 3,
  mär: 3,
  april: 4,
  apr: 4,
  avril: 4,
  abril: 4,
  abr: 4,
  avr: 4,
  may: 5,
  mai: 5,
  mayo: 5,
  june: 6,
  jun: 6,
  juni: 6,
  juin: 6,
  junio: 6,
  july: 7,
  jul: 7,
  juli: 7,
  juillet: 7,
  julio: 7,
  juil: 7,
  august: 8,
  aug: 8,
  août: 8,
  aout: 8,
  agosto: 8,
  ago: 8,
  september: 9,
  sep: 9,
  sept: 9,
  septembre: 9,
  septiembre: 9,
  setiembre: 9,
  october: 10,
  oct: 10,
  oktober: 10,
  okt: 10,
  octobre: 10,
  octubre: 10,
  november: 11,
  nov: 11,
  novembre: 11,
  noviembre: 11,
  december: 12,
  dec: 12,
  dezember: 12,
  dez: 12,
  décembre: 12,
  decembre: 12,
  diciembre: 12,
  dic: 12,
  déc: 12,
};
// Longest names first so the alternation never stops at a prefix ("jun" before "junio").
const MONTH = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const DAY_SUFFIX = '(?:st|nd|rd|th|er|\\.)?';

// Each alternative is a fixed sequence of bounded pieces, so matching is linear.
const DATE = new RegExp(
  [
    '(?<isoY>\\d{4})(?<isoS>[-/.])(?<isoM>\\d{1,2})\\k<isoS>(?<isoD>\\d{1,2})',
    '(?<nA>\\d{1,2})(?<nS>[-/.])(?<nB>\\d{1,2})\\k<nS>(?<nY>\\d{4}|\\d{2})',
    `(?<dmD>\\d{1,2})${DAY_SUFFIX}[ \\u00a0](?:of[ ]|de[ ])?(?<dmM>${MONTH})\\.?,?[ \\u00a0](?:de[ ])?(?<dmY>\\d{4})`,
    `(?<mdM>${MONTH})\\.?[ \\u00a0](?<mdD>\\d{1,2})(?:st|nd|rd|th)?,?[ \\u00a0](?<mdY>\\d{4})`,
  ]
    .map((alt) => `(?:${alt})`)
    .join('|')
    .replace(/^/, '(?<![\\p{L}\\p{N}])(?:')
    .concat(')(?![\\p{L}\\p{N}]|[-/.]\\d)'),
  'giu',
);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  const maxYear = new Date().getUTCFullYear();
  return year >= 1900 && year <= maxYear && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function fullYear(y: string): number {
  if (y.length === 4) return Number(y);
  const yy = Number(y);
  const century = yy <= new Date().getUTCFullYear() % 100 ? 2000 : 1900;
  return century + yy;
}

function isValidMatch(g: Record<string, string | undefined>): boolean {
  if (g['isoY'] !== undefined) return validDate(Number(g['isoY']), Number(g['isoM']), Number(g['isoD']));
  if (g['nA'] !== undefined) {
    const year = fullYear(g['nY'] ?? '');
    const a = Number(g['nA']);
    const b = Number(g['nB']);
    return validDate(year, b, a) || validDate(year, a, b); // day-first or month-first
  }
  const month = (name: string | undefined): number => MONTHS[(name ?? '').toLowerCase()] ?? 0;
  if (g['dmD'] !== undefined) return validDate(Number(g['dmY']), month(g['dmM']), Number(g['dmD']));
  if (g['mdM'] !== undefined) return validDate(Number(g['mdY']), month(g['mdM']), Number(g['mdD']));
  return false;
}

// A sentence end between the birth word and the date cuts the link ("… was born. On 12.04.1990 …").
const SENTENCE_BREAK = /[.!?]\s+\p{Lu}|\n\s*\n/u;

const MAX_DATE_LENGTH = 40;
const AFTER_DATE = /[\p{L}\p{N}]|[-/.]\d/uy;

export function detectDatesOfBirth(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  let searchedTo = 0;
  KEYWORD.lastIndex = 0;
  for (let k = KEYWORD.exec(text); k !== null; k = KEYWORD.exec(text)) {
    const keywordEnd = k.index + k[0].length;
    const from = Math.max(keywordEnd, searchedTo);
    // Only the bounded window after the keyword is searched: a keyword costs O(1), never O(text).
    const window = text.slice(from, keywordEnd + CONTEXT_WINDOW + MAX_DATE_LENGTH);
    DATE.lastIndex = 0;
    const m = DATE.exec(window);
    if (m === null) continue;
    const start = from + m.index;
    const end = start + m[0].length;
    if (start > keywordEnd + CONTEXT_WINDOW) continue;
    AFTER_DATE.lastIndex = end;
    if (AFTER_DATE.test(text)) continue; // the window cut a longer token
    if (SENTENCE_BREAK.test(text.slice(keywordEnd, start))) continue;
    if (!isValidMatch(m.groups ?? {})) continue;
    out.push({ type: 'DOB', start, end, priority: PRIORITY.DOB });
    searchedTo = end;
  }
  return out;
}
