import { type PiiCandidate, PRIORITY } from './pii.types';

// US Social Security numbers: `ddd-dd-dddd` anywhere; `ddd dd dddd` and nine plain digits only with
// an SSN label (`SSN`, `SS#`, `social security`) shortly before, because without one those shapes are
// as likely to be phone or account numbers. Never-issued numbers are rejected: area 000, 666 and 900-999,
// group 00, serial 0000. The digits must stand alone (not part of `123-45-6789-0` or a phone number).

const SEPARATED = /(?<![\p{L}\p{N}_]|[\p{L}\p{N}][-./]|\d )(\d{3})([- ])(\d{2})\2(\d{4})(?![\p{L}\p{N}_]|[-. /]\d)/gu;
const LABELLED = /(?<![\p{L}])(?:SSN|SS#|social security(?: number| no\.?| #)?)[ \t]{0,3}[:#]?[ \t]{0,3}(\d{9})(?![\p{L}\p{N}_])/giu;

const LABEL_BEFORE = /(?<![\p{L}])(?:SSN|SS#|social security)(?![\p{L}])/iu;

export function isValidSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  return group !== '00' && serial !== '0000';
}

export function detectSsns(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  SEPARATED.lastIndex = 0;
  for (let m = SEPARATED.exec(text); m !== null; m = SEPARATED.exec(text)) {
    const [whole, area = '', sep, group = '', serial = ''] = m;
    if (sep === ' ' && !LABEL_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    if (isValidSsn(area, group, serial)) out.push({ type: 'SSN', start: m.index, end: m.index + whole.length, priority: PRIORITY.SSN });
  }
  LABELLED.lastIndex = 0;
  for (let m = LABELLED.exec(text); m !== null; m = LABELLED.exec(text)) {
    const digits = m[1] ?? '';
    const start = m.index + m[0].length - digits.length;
    if (isValidSsn(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5))) {
      out.push({ type: 'SSN', start, end: start + digits.length, priority: PRIORITY.SSN });
    }
  }
  return out;
}
