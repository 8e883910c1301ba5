import { decode as decodeCl100k, encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';

/** The token arithmetic the chunker needs; injectable so tests and other models can supply their own. */
export interface Tokenizer {
  count(text: string): number;
  encode(text: string): number[];
  decode(tokens: number[]): string;
  readonly name: string;
}

// gpt-tokenizer rather than js-tiktoken: the same cl100k_base ids (the spec checks against js-tiktoken),
// about 7x faster on prose because it caches the merges of pre-token pieces, and tokenising was most of
// the ingest worker's CPU time (docs/performance.md).
// Documents may legitimately contain strings like "<|endoftext|>"; by default the encoder throws on
// them, so special tokens are neither allowed nor disallowed: they are encoded as ordinary text.
const AS_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

// Byte-pair merging is quadratic (worse, in practice) in the length of a pre-token piece, and an
// unbroken run of letters, symbols or whitespace is one piece: a 20 kB line of "=====" or of
// base64-like letters could take minutes, so one hostile upload could stall an ingest worker. Runs
// longer than MAX_RUN are therefore encoded in slices of MAX_RUN. Words never get that long, so
// ordinary text still counts exactly as cl100k_base; a long run may count a token or two more per
// slice, and decode(encode(text)) stays exactly text.
const MAX_RUN = 64;
const LONG_RUN = new RegExp(`\\p{L}{${MAX_RUN + 1},}|[^\\s\\p{L}\\p{N}]{${MAX_RUN + 1},}|\\s{${MAX_RUN + 1},}`, 'gu');

function encodeBounded(text: string): number[] {
  const plain = (part: string): number[] => encodeCl100k(part, AS_TEXT);
  if (text.length <= MAX_RUN || !mayHaveLongRun(text)) return plain(text);
  let out: number[] | undefined;
  let from = 0;
  const append = (part: string): void => {
    out ??= [];
    // Not push(...tokens): spreading a large array overflows the call stack.
    for (const token of plain(part)) out.push(token);
  };
  for (const match of text.matchAll(LONG_RUN)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start > from) append(text.slice(from, start));
    for (let at = start; at < end;) {
      let cut = Math.min(at + MAX_RUN, end);
      if (cut < end && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
      append(text.slice(at, cut));
      at = cut;
    }
    from = end;
  }
  if (out === undefined) return plain(text);
  if (from < text.length) append(text.slice(from));
  return out;
}

/**
 * Whether the text has more than MAX_RUN space or non-space characters in a row, which any LONG_RUN match is:
 * a cheap pre-check that spares nearly every text the Unicode scan. One pass over the UTF-16 units (a regex
 * such as `\S{65}` retries from every position of a long run, and cost more than the encoding it guarded).
 */
export function mayHaveLongRun(text: string): boolean {
  let run = 0;
  let spaces = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (space === spaces) {
      if (++run > MAX_RUN) return true;
    } else {
      spaces = space;
      run = 1;
    }
  }
  return false;
}

/** Exactly the code units JavaScript's `\s` matches. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

class Cl100kTokenizer implements Tokenizer {
  readonly name = 'cl100k_base';

  count(text: string): number {
    return text.length === 0 ? 0 : this.encode(text).length;
  }

  encode(text: string): number[] {
    return encodeBounded(text);
  }

  decode(tokens: number[]): string {
    return decodeCl100k(tokens);
  }
}

let shared: Tokenizer | undefined;

/** The cl100k_base tokenizer (OpenAI text-embedding-3-* / GPT-4). Stateless, so one instance is shared. */
export function cl100kTokenizer(): Tokenizer {
  shared ??= new Cl100kTokenizer();
  return shared;
}
