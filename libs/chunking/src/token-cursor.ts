import type { Segment } from './sentences';
import type { Tokenizer } from './tokenizer';

/** A trimmed piece of text with its token count (see TokenCursor for how exact it is). */
export interface CountedSegment extends Segment {
  tokens: number;
  /** The token ids it was decoded from (may include its surrounding whitespace), when known. */
  ids?: number[];
}

// Tries per cut before falling back; a cut normally succeeds first time and only needs a retry
// when it lands mid-character (multi-byte UTF-8 spread over tokens) or a tail re-tokenises longer.
const MAX_ATTEMPTS = 16;
// How far back (in tokens, capped by a quarter of the budget) a cut may move to land before a word.
const WORD_LOOKBACK = 32;

/**
 * Walks through text too long for one chunk, handing out consecutive pieces of at most a given
 * number of tokens, each decoded from a slice of the text's encoding. The text is encoded once, so
 * cutting it into n pieces costs O(length), not O(n * length). Pieces are trimmed, their surrounding
 * whitespace carried in `sep`, so `sep + text` over all pieces reproduces the input.
 *
 * A piece's `tokens` is the length of the slice it was decoded from. Re-tokenising a piece on its
 * own can, rarely, give a different count (a cut inside a word may tokenise differently); the
 * chunker verifies every finished chunk anyway, so pieces are not re-counted here, which would cost
 * a whole extra pass over long text.
 */
export class TokenCursor {
  private tokens: number[];
  private pos = 0;
  private charPos = 0;
  private pendingSep: string;

  /** `tokens`, when given, must be `tokenizer.encode(text)`; it saves encoding the text again. */
  constructor(
    private readonly text: string,
    private readonly tokenizer: Tokenizer,
    sep = '',
    tokens?: number[],
  ) {
    this.tokens = tokens ?? tokenizer.encode(text);
    this.pendingSep = sep;
  }

  get done(): boolean {
    return this.charPos >= this.text.length;
  }

  /** Whitespace known to precede the next piece. */
  get sep(): string {
    return this.pendingSep;
  }

  /** The next piece of at most `maxTokens` tokens, or undefined when the text is used up or nothing fits. */
  take(maxTokens: number): CountedSegment | undefined {
    while (maxTokens > 0 && !this.done) {
      const cut = this.cutByTokens(maxTokens) ?? this.cutByChars(maxTokens);
      if (!cut) return undefined;
      const core = cut.raw.trim();
      if (core.length === 0) {
        this.pendingSep += cut.raw;
        continue;
      }
      const lead = cut.raw.slice(0, cut.raw.length - cut.raw.trimStart().length);
      const piece: CountedSegment = { text: core, sep: this.pendingSep + lead, tokens: cut.tokens };
      if (cut.ids) piece.ids = cut.ids;
      this.pendingSep = cut.raw.slice(cut.raw.trimEnd().length);
      return piece;
    }
    return undefined;
  }

  private cutByTokens(maxTokens: number): { raw: string; tokens: number; ids: number[] } | undefined {
    let end = this.preferWordStart(Math.min(this.pos + maxTokens, this.tokens.length), maxTokens);
    for (let attempt = 0; attempt < MAX_ATTEMPTS && end > this.pos; attempt++, end--) {
      const ids = this.tokens.slice(this.pos, end);
      const raw = this.tokenizer.decode(ids);
      // A slice ending mid-character decodes to U+FFFD and no longer matches the source.
      if (raw.length > 0 && this.text.startsWith(raw, this.charPos)) {
        this.pos = end;
        this.charPos += raw.length;
        return { raw, tokens: ids.length, ids };
      }
    }
    return undefined;
  }

  /** Moves a cut back to just before a token that starts with whitespace, so words stay whole. */
  private preferWordStart(end: number, maxTokens: number): number {
    if (end >= this.tokens.length) return end;
    const floor = Math.max(this.pos + 1, end - Math.min(WORD_LOOKBACK, Math.floor(maxTokens / 4)));
    for (let k = end; k >= floor; k--) {
      if (/^\s/.test(this.tokenizer.decode([this.tokens[k] as number]))) return k;
    }
    return end;
  }

  /** Fallback: longest prefix of whole code points that fits (binary search), then re-encode the rest. */
  private cutByChars(maxTokens: number): { raw: string; tokens: number; ids?: undefined } | undefined {
    const from = this.charPos;
    const count = (len: number): number => this.tokenizer.count(this.text.slice(from, from + len).trim());
    const minLen = isHighSurrogate(this.text.charCodeAt(from)) ? 2 : 1;
    if (count(minLen) > maxTokens) return undefined;
    // No real tokenizer spends under one token per 64 UTF-16 units; the cap bounds the search cost.
    let lo = minLen;
    let hi = Math.max(minLen, Math.min(this.text.length - from, maxTokens * 64));
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (count(mid) <= maxTokens) lo = mid;
      else hi = mid - 1;
    }
    if (lo > minLen && isHighSurrogate(this.text.charCodeAt(from + lo - 1))) lo--;
    const raw = this.text.slice(from, from + lo);
    this.charPos += raw.length;
    this.tokens = this.tokenizer.encode(this.text.slice(this.charPos));
    this.pos = 0;
    return { raw, tokens: count(lo) };
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The longest clean suffix (no split character) of `text` within `maxTokens` tokens, trimmed;
 * undefined when there is none. `ids`, when known, are token ids whose decoding ends with `text`
 * (plus optional whitespace); they save encoding it again.
 */
export function tokenTail(text: string, maxTokens: number, tokenizer: Tokenizer, ids?: number[]): CountedSegment | undefined {
  if (maxTokens <= 0) return undefined;
  const tokens = ids ?? tokenizer.encode(text);
  let k = Math.min(maxTokens, tokens.length);
  // Start the tail at a word when one begins shortly after the cut, rather than mid-word.
  const lookahead = Math.min(WORD_LOOKBACK, Math.floor(maxTokens / 4));
  for (let j = 0; j <= lookahead && j < k - 1; j++) {
    if (/^\s/.test(tokenizer.decode([tokens[tokens.length - k + j] as number]))) {
      k -= j;
      break;
    }
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS && k > 0; attempt++) {
    const raw = tokenizer.decode(tokens.slice(tokens.length - k)).trimEnd();
    const core = raw.trimStart();
    if (core.length === 0 || !text.endsWith(raw)) {
      k--;
      continue;
    }
    const count = tokenizer.count(core);
    if (count <= maxTokens) return { text: core, sep: '', tokens: count };
    k -= count - maxTokens;
  }
  return undefined;
}
