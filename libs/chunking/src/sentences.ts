/**
 * A piece of a block with the whitespace that preceded it, so that concatenating
 * `sep + text` over all segments reproduces the block exactly.
 */
export interface Segment {
  text: string;
  sep: string;
}

const WHITESPACE = /\s/;

function isWhitespace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code >= 0x80 && WHITESPACE.test(String.fromCharCode(code));
}

// Closing quotes/brackets may sit between the terminator and the space: `He said "stop." Then`.
const CLOSERS = new Set(['"', "'", '\u201d', '\u2019', ')', ']', '\u300d', '\u300f', '\uff09']);
// Full-width terminators (Chinese, Japanese) end a sentence even with no space after them.
const FULL_WIDTH_TERMINATORS = new Set(['\u3002', '\uff01', '\uff1f']);
const TERMINATORS = new Set(['.', '!', '?', ...FULL_WIDTH_TERMINATORS]);
// Abbreviations that rarely end a sentence; cutting after them would strand the next words.
const ABBREVIATIONS = new Set(['e.g.', 'i.e.', 'cf.', 'vs.', 'mr.', 'mrs.', 'ms.', 'dr.', 'prof.']);
// Longer words are neither abbreviations nor list markers, so the look-back stops there.
const MAX_WORD_LOOKBACK = 8;

function endsSentence(text: string, whitespaceStart: number): boolean {
  let k = whitespaceStart - 1;
  while (k >= 0 && CLOSERS.has(text[k] ?? '')) k--;
  if (k < 0 || !TERMINATORS.has(text[k] ?? '')) return false;
  if (text[k] !== '.') return true;
  let start = k;
  while (start > 0 && k - start < MAX_WORD_LOOKBACK && !isWhitespace(text.charCodeAt(start - 1))) start--;
  if (start > 0 && !isWhitespace(text.charCodeAt(start - 1))) return true;
  const word = text
    .slice(start, k + 1)
    .replace(/^[("'[\u201c\u2018]+/, '')
    .toLowerCase();
  if (ABBREVIATIONS.has(word)) return false;
  // "1. First step" at the start of a line is an ordered-list marker, not a sentence.
  return !(/^\d+\.$/.test(word) && atLineStart(text, start));
}

function atLineStart(text: string, index: number): boolean {
  let j = index - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  return j < 0 || text[j] === '\n';
}

/**
 * Splits prose into sentences: a boundary is a whitespace run that follows `.`, `!` or `?`
 * (optionally closed by a quote or bracket, not after "e.g." or a "1." list marker) or that
 * contains a newline, or the point right after a full-width `。`, `！` or `？`. A hand-written
 * scan rather than a regex keeps this linear even on pathological whitespace runs.
 */
export function splitSentences(text: string): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  let sep = '';
  let i = 0;
  // Cuts right after a full-width terminator (and its closing brackets) when text follows directly.
  const splitAfterFullWidth = (at: number): number => {
    let end = at + 1;
    while (end < text.length && CLOSERS.has(text[end] ?? '')) end++;
    if (end < text.length && !isWhitespace(text.charCodeAt(end))) {
      out.push({ text: text.slice(start, end), sep });
      sep = '';
      start = end;
    }
    return end;
  };
  while (i < text.length) {
    if (!isWhitespace(text.charCodeAt(i))) {
      i = FULL_WIDTH_TERMINATORS.has(text[i] ?? '') ? splitAfterFullWidth(i) : i + 1;
      continue;
    }
    let j = i;
    let newline = false;
    while (j < text.length && isWhitespace(text.charCodeAt(j))) {
      if (text.charCodeAt(j) === 10) newline = true;
      j++;
    }
    if (newline || endsSentence(text, i)) {
      if (i > start) out.push({ text: text.slice(start, i), sep });
      sep = start === i ? sep + text.slice(i, j) : text.slice(i, j);
      start = j;
    }
    i = j;
  }
  if (start < text.length) out.push({ text: text.slice(start), sep });
  return out;
}

/**
 * Splits code into lines, keeping indentation in the text (it is meaningful) and folding
 * blank lines and trailing spaces into the separator (they are not worth a segment).
 */
export function splitCodeLines(text: string): Segment[] {
  const out: Segment[] = [];
  const lines = text.split('\n');
  let sep = '';
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k] ?? '';
    if (k > 0) sep += '\n';
    const body = line.trimEnd();
    if (body.trim().length === 0) {
      sep += line;
      continue;
    }
    out.push({ text: body, sep });
    sep = line.slice(body.length);
  }
  return out;
}
