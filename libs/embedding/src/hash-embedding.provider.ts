import { setImmediate } from 'node:timers/promises';
import { type EmbedOptions, type EmbeddingProvider, embeddingVersion } from './embedding-provider';
import { DEFAULT_HASH_DIMENSIONS, DEFAULT_HASH_MODEL, MAX_HASH_DIMENSIONS, MIN_HASH_DIMENSIONS } from './embedding.settings';

// Letters, combining marks (needed for Indic/Thai words to stay whole) and digits.
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;

// ~2-5 ms of work between event-loop yields.
const YIELD_EVERY = 256;

const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.3;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Distinct first bytes keep the three feature kinds in separate hash spaces.
const TAG_UNIGRAM = 1;
const TAG_BIGRAM = 2;
const TAG_TRIGRAM = 3;
const WORD_SEPARATOR = 0;
const WORD_BOUNDARY = 0x1f;

// Module-local binding: global lookups are slow inside vm contexts (Jest) and this is the hot loop.
const imul = Math.imul;

function fnvStep(h: number, code: number): number {
  return imul(h ^ code, FNV_PRIME);
}

function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

// FNV-1a mixes its low bits poorly; the murmur3 finaliser spreads every input bit over the word,
// so `% dims` and the sign bit are both well distributed.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Offline, deterministic embedding by feature hashing ("fh-v1"): word unigrams, word bigrams and
 * boundary-padded character trigrams, each hashed to a signed bucket, summed and L2-normalised.
 * It captures lexical overlap only (no semantics), which is enough for local development, tests
 * and air-gapped installs. Any change to tokenisation, features, weights or hashing changes the
 * vector space and therefore needs a new model name.
 */
export class HashEmbeddingProvider implements EmbeddingProvider {
  readonly provider = 'hash';
  readonly model = DEFAULT_HASH_MODEL;
  readonly dimensions: number;
  readonly version: string;

  constructor(dimensions: number = DEFAULT_HASH_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < MIN_HASH_DIMENSIONS || dimensions > MAX_HASH_DIMENSIONS) {
      throw new RangeError(
        `Invalid embedding dimensions (EMBEDDING_DIMENSIONS) for the hash provider: expected an integer in ` +
          `${MIN_HASH_DIMENSIONS}..${MAX_HASH_DIMENSIONS}, got ${String(dimensions)}`,
      );
    }
    this.dimensions = dimensions;
    this.version = embeddingVersion(this.provider, this.model, dimensions);
  }

  async embed(texts: readonly string[], opts: EmbedOptions = {}): Promise<number[][]> {
    opts.signal?.throwIfAborted();
    const out = new Array<number[]>(texts.length);
    for (let i = 0; i < texts.length; i++) {
      // Hashing is synchronous; yield now and then so a huge document cannot stall the event loop
      // (health checks, other requests) and so cancellation is noticed.
      if (i > 0 && i % YIELD_EVERY === 0) {
        await setImmediate();
        opts.signal?.throwIfAborted();
      }
      out[i] = this.embedOne(texts[i] ?? '');
    }
    return out;
  }

  /** Synchronous variant for hot paths that do not want a promise per query. */
  embedOne(text: string): number[] {
    const dims = this.dimensions;
    const acc = new Float64Array(dims);
    const add = (h: number, weight: number): void => {
      const m = fmix32(h);
      const i = m % dims;
      acc[i] = (acc[i] ?? 0) + (m & 0x80000000 ? -weight : weight);
    };

    // NFKC folds compatibility forms (full-width letters, ligatures) and composes accents so that
    // visually identical text tokenises identically.
    const words = text.normalize('NFKC').toLowerCase().match(WORD_RE);
    if (words === null) {
      // A featureless text still needs a defined cosine; all such texts share one direction.
      const unit = new Array<number>(dims).fill(0);
      unit[0] = 1;
      return unit;
    }

    let prevWordHash: number | undefined;
    for (const word of words) {
      add(fnvString(fnvStep(FNV_OFFSET, TAG_UNIGRAM), word), UNIGRAM_WEIGHT);

      if (prevWordHash !== undefined) {
        add(fnvString(fnvStep(prevWordHash, WORD_SEPARATOR), word), BIGRAM_WEIGHT);
      }
      prevWordHash = fnvString(fnvStep(FNV_OFFSET, TAG_BIGRAM), word);

      // Trigrams over "\x1f" + word + "\x1f" without allocating the padded string.
      const len = word.length;
      for (let start = 0; start < len; start++) {
        let h = fnvStep(FNV_OFFSET, TAG_TRIGRAM);
        for (let p = start; p < start + 3; p++) {
          h = fnvStep(h, p === 0 || p === len + 1 ? WORD_BOUNDARY : word.charCodeAt(p - 1));
        }
        add(h, TRIGRAM_WEIGHT);
      }
    }

    let sum = 0;
    for (const x of acc) sum += x * x;
    if (sum === 0) {
      // Possible only if every feature cancelled out exactly; keep the same fallback direction.
      const unit = new Array<number>(dims).fill(0);
      unit[0] = 1;
      return unit;
    }
    const inv = 1 / Math.sqrt(sum);
    return Array.from(acc, (x) => x * inv);
  }
}
