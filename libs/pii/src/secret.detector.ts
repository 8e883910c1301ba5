import { type PiiCandidate, PRIORITY } from './pii.types';
import { shannonEntropy } from './text.util';

// Credentials. Three kinds of rule, from most to least specific:
//  1. Known formats: provider prefixes with a fixed alphabet and length (OpenAI `sk-`, Stripe
//     `sk_live_`, AWS `AKIA…`, GitHub `ghp_…`/`github_pat_`, Slack `xox?-`, GitLab `glpat-`, Google
//     `AIza…`, npm, Hugging Face, SendGrid, this product's `df_` keys), JWTs and PEM private-key blocks.
//  2. Values of credential assignments: `password=…`, `secret: …`, `"api_key": "…"`, `token=…`,
//     `Authorization: Bearer …`, and the password of `scheme://user:password@host`.
//  3. Generic high-entropy tokens: 32-256 characters of [A-Za-z0-9+/_-] (plus `=` padding) with letters and digits,
//     Shannon entropy >= 4.0 bits/char, not word-like. Hex-only strings (content hashes such as
//     sha1/sha256, UUIDs) are deliberately NOT flagged: they are everywhere in technical documents and
//     are usually digests, not credentials. A hex secret is still caught by rules 1 and 2.
// Every pattern is a fixed prefix followed by one bounded character class, so matching is linear.

const B = '(?<![A-Za-z0-9_-])'; // left boundary for prefixed tokens
const E = '(?![A-Za-z0-9_-])'; // right boundary

interface KnownFormat {
  re: RegExp;
  /** Extra check on the whole match (e.g. "looks random", so `sk-learn-…` prose is not a key). */
  check?: (token: string) => boolean;
}

const KNOWN: readonly KnownFormat[] = [
  {
    re: new RegExp(`${B}sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\\d\\d-)?[A-Za-z0-9_-]{20,200}${E}`, 'g'),
    check: (t) => looksRandom(t.slice(3)),
  },
  { re: new RegExp(`${B}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}${E}`, 'g') },
  { re: new RegExp(`${B}(?:AKIA|ASIA)[0-9A-Z]{16}${E}`, 'g') },
  { re: new RegExp(`${B}gh[pousr]_[A-Za-z0-9]{36}${E}`, 'g') },
  { re: new RegExp(`${B}github_pat_[A-Za-z0-9_]{22,255}${E}`, 'g') },
  { re: new RegExp(`${B}xox[baprs]-[A-Za-z0-9-]{10,250}${E}`, 'g'), check: (t) => /\d/.test(t) },
  { re: new RegExp(`${B}glpat-[A-Za-z0-9_-]{20}${E}`, 'g') },
  { re: new RegExp(`${B}AIza[0-9A-Za-z_-]{35}${E}`, 'g') },
  { re: new RegExp(`${B}npm_[A-Za-z0-9]{36}${E}`, 'g') },
  { re: new RegExp(`${B}hf_[A-Za-z]{34}${E}`, 'g') },
  { re: new RegExp(`${B}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`, 'g') },
  { re: new RegExp(`${B}df_[A-Za-z0-9_-]{43}${E}`, 'g') },
  // JWT: base64url JSON header and payload (both start with `{"` = `eyJ`), signature (empty for alg none).
  { re: new RegExp(`${B}eyJ[A-Za-z0-9_-]{8,4096}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{0,4096}${E}`, 'g') },
];

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const PEM_MAX = 16_384;
const PEM_BODY = /[A-Za-z0-9+/=\s:,-]{0,16384}/y; // body of an unterminated block (truncated text)

// Keyword, optional closing quote, `:` or `=`, optional opening quote, value.
const ASSIGNMENT =
  /(?<![A-Za-z])(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key)["'`]?[ \t]{0,3}[:=][ \t]{0,3}["'`]?([^\s"'`,;<>(){}[\]\\]{6,200})/giu;
const AUTH_HEADER = /(?<![A-Za-z])(?:Bearer|Basic|Token)[ \t]{1,3}([A-Za-z0-9._~+/-]{16,4096}={0,2})(?![A-Za-z0-9._~+/=-])/g;
const AUTH_CONTEXT = /authorization["']?[ \t]{0,3}[:=][ \t]{0,3}["']?$/i;
const URL_PASSWORD = /[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@[\]]{1,64}:([^\s/@[\]]{3,128})@/gi;
const PLACEHOLDER =
  /^(?:\*+|x+|\.+|-+|null|nil|none|undefined|true|false|required|optional|string|number|boolean|secret|password|pass|token|redacted|hidden|example|placeholder|changeit|your[_-].*|<.*|\$.*|%.*|\{.*|process\.env.*|os\.environ.*|env\..*)$/i;
// `DB_PASSWORD`, `API_KEY_HERE`: the name of a variable (case-sensitive, unlike PLACEHOLDER).
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

// `=` only as trailing base64 padding, so `NAME=value` is never one token.
const GENERIC = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,}={0,2}/g;
const GENERIC_MAX = 256;
const MIN_ENTROPY = 4.0;

/**
 * Average length of the "words" of a token: `[A-Z]?[a-z]+` (so PascalCase words count whole), runs of
 * capitals, runs of digits; other characters separate words. Identifiers, slugs and prose average 3
 * or more; random base64/base62 averages under 2.
 */
function averageRun(token: string): number {
  const words = token.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
  if (words.length === 0) return 0;
  return words.reduce((sum, w) => sum + w.length, 0) / words.length;
}

/** Random-looking: has a letter and a digit and is not made of word-sized runs (camelCase, slugs). */
function looksRandom(token: string): boolean {
  return /[A-Za-z]/.test(token) && /\d/.test(token) && averageRun(token) < 3;
}

// A path segment made of one lower-case word ("jobs", "tenants"): the token is a URL path, so its
// segments are judged one by one (a UUID between two words is not a credential).
const WORD_SEGMENT = /(?:^|\/)[a-z]{4,}(?:\/|$)/;

/**
 * True when `at` is inside a URL: `scheme://` or a `data:` URI earlier in the same whitespace-delimited
 * word, or right after a `%xx` escape. Path segments and query values of URLs are mostly IDs
 * (documents, playlists, images), so the generic rule skips them; named credentials in URLs
 * (`?token=…`, `user:password@`) are still caught by rule 2.
 */
function insideUrl(text: string, at: number): boolean {
  const from = Math.max(0, at - 256);
  const before = text.slice(from, at);
  const wordStart = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\n'), before.lastIndexOf('\t'));
  const word = before.slice(wordStart + 1);
  return word.includes('://') || /data:[\w/+.-]*[;,]/.test(word) || text[at - 1] === '%';
}

/** [offset, text] of the parts of a generic token that are judged separately. */
function genericParts(token: string): Array<[number, string]> {
  if (!token.includes('/') || !WORD_SEGMENT.test(token)) return [[0, token]];
  const parts: Array<[number, string]> = [];
  let offset = 0;
  for (const part of token.split('/')) {
    parts.push([offset, part]);
    offset += part.length + 1;
  }
  return parts;
}

/** Decides whether a generic token is a credential. Exported for tests. */
export function isHighEntropyToken(token: string): boolean {
  const core = token.replace(/^[/+_=-]+|[/+_=-]+$/g, '');
  if (core.length < 32 || core.length > GENERIC_MAX) return false;
  if (/^[0-9a-fA-F-]+$/.test(core)) return false; // hex digests, UUIDs: see the header comment
  if (core.startsWith('eyJ')) return false; // base64 JSON (pagination cursors); real JWTs match rule 1
  return looksRandom(core) && shannonEntropy(core) >= MIN_ENTROPY;
}

// `config.apiKey`, `settings.token?.trim`: code that reads a credential, not the credential.
const CODE_REFERENCE = /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+$/;

function plausibleValue(value: string): boolean {
  if (PLACEHOLDER.test(value) || ENV_NAME.test(value) || CODE_REFERENCE.test(value) || /^(.)\1*$/.test(value)) return false;
  const hasLetter = /\p{L}/u.test(value);
  const hasDigit = /\d/.test(value);
  const hasUpper = /\p{Lu}/u.test(value);
  const hasLower = /\p{Ll}/u.test(value);
  const hasSymbol = /[^\p{L}\p{N}_.-]/u.test(value);
  // Letters only: mixed case and not camelCase words (`adminToken` is a variable name).
  return hasDigit || hasSymbol || (hasLetter && hasUpper && hasLower && value.length >= 8 && averageRun(value) < 3);
}

export function detectSecrets(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  const push = (start: number, end: number, priority: number): void => {
    out.push({ type: 'SECRET', start, end, priority });
  };

  for (const { re, check } of KNOWN) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (check === undefined || check(m[0])) push(m.index, m.index + m[0].length, PRIORITY.SECRET_KNOWN);
    }
  }

  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const endMarker = `-----END ${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}-----`;
    const bodyStart = m.index + m[0].length;
    const endAt = text.slice(bodyStart, bodyStart + PEM_MAX).indexOf(endMarker);
    let end: number;
    if (endAt >= 0) {
      end = bodyStart + endAt + endMarker.length;
    } else {
      PEM_BODY.lastIndex = bodyStart;
      const body = PEM_BODY.exec(text)?.[0] ?? '';
      end = bodyStart + body.trimEnd().length;
    }
    push(m.index, end, PRIORITY.SECRET_KNOWN);
    PEM_BEGIN.lastIndex = end;
  }

  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m !== null; m = ASSIGNMENT.exec(text)) {
    const value = m[1] ?? '';
    const start = m.index + m[0].length - value.length;
    const next = text[start + value.length];
    if (!plausibleValue(value) || next === '(' || next === '<') continue; // `= makeToken(…)`, `: Token<T>`: code
    push(start, start + value.length, PRIORITY.SECRET_ASSIGNMENT);
  }

  AUTH_HEADER.lastIndex = 0;
  for (let m = AUTH_HEADER.exec(text); m !== null; m = AUTH_HEADER.exec(text)) {
    const value = m[1] ?? '';
    // "Bearer <token>" stands alone; "Basic …" and "Token …" only right after an Authorization header.
    const bearer = m[0].startsWith('Bearer');
    if (!bearer && !AUTH_CONTEXT.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
    if (!/\d/.test(value) || !/[A-Za-z]/.test(value) || PLACEHOLDER.test(value)) continue;
    const start = m.index + m[0].length - value.length;
    push(start, start + value.length, PRIORITY.SECRET_ASSIGNMENT);
  }

  URL_PASSWORD.lastIndex = 0;
  for (let m = URL_PASSWORD.exec(text); m !== null; m = URL_PASSWORD.exec(text)) {
    const value = m[1] ?? '';
    if (PLACEHOLDER.test(value)) continue;
    const start = m.index + m[0].length - 1 - value.length;
    push(start, start + value.length, PRIORITY.SECRET_ASSIGNMENT);
  }

  GENERIC.lastIndex = 0;
  for (let m = GENERIC.exec(text); m !== null; m = GENERIC.exec(text)) {
    const token = m[0];
    if (text.slice(Math.max(0, m.index - 7), m.index).toLowerCase() === 'base64,') continue; // data: URI
    if (insideUrl(text, m.index)) continue;
    for (const [offset, part] of genericParts(token)) {
      const lead = part.length - part.replace(/^[/+_-]+/, '').length;
      const core = part.slice(lead).replace(/[/+_-]+$/, '');
      const start = m.index + offset + lead;
      if (isHighEntropyToken(core)) push(start, start + core.length, PRIORITY.SECRET_GENERIC);
    }
  }
  return out;
}
