import { type PiiCandidate, PRIORITY } from './pii.types';
import { isWordChar } from './text.util';

// Emails are found from their `@`: the local part is expanded to the left and the domain to the right
// with hard caps (64 and 253 characters, the RFC 5321 limits), so every `@` costs at most ~320 steps
// and there is no regex backtracking at all.

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const LOCAL_PUNCT = '._%+-';
// File extensions that follow `@` in asset names (`logo@2x.png`) and are not TLDs.
const FILE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'bmp',
  'ico',
  'tiff',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'css',
  'scss',
  'map',
  'json',
  'yaml',
  'yml',
  'lock',
]);
const URL_USERINFO = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/@]*:$/;
const TLD = /^(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59})$/;
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;

function isLocalChar(ch: string | undefined): boolean {
  return ch !== undefined && (isWordChar(ch) || LOCAL_PUNCT.includes(ch));
}

function isDomainChar(ch: string | undefined): boolean {
  return ch !== undefined && ch !== '_' && (isWordChar(ch) || ch === '.' || ch === '-');
}

export function detectEmails(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocalChar(text[start - 1])) start--;
    if (start > 0 && isLocalChar(text[start - 1])) continue; // local part longer than 64
    while (start < at && '.-+'.includes(text[start] ?? '')) start++; // prose punctuation, not the address
    if (start === at || text[start - 1] === '@') continue;
    if (URL_USERINFO.test(text.slice(Math.max(0, start - 80), start))) continue; // scheme://user:password@host
    const local = text.slice(start, at);
    if (local.endsWith('.') || local.includes('..')) continue;

    let end = at + 1;
    while (end < text.length && end - at - 1 < MAX_DOMAIN && isDomainChar(text[end])) end++;
    if (isDomainChar(text[end])) continue; // domain longer than 253
    while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--; // "mail me at a@b.com."
    const next = text[end];
    if (next === '@' || (next !== undefined && isWordChar(next))) continue;
    const labels = text.slice(at + 1, end).split('.');
    if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) continue;
    const tld = labels[labels.length - 1] ?? '';
    if (!TLD.test(tld) || FILE_EXTENSIONS.has(tld.toLowerCase())) continue;
    out.push({ type: 'EMAIL', start, end, priority: PRIORITY.EMAIL });
  }
  return out;
}
