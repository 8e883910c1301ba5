/** Size limits for one chunk, in tokens of the tokenizer used for chunking. */
export interface ChunkingOptions {
  /** Hard upper bound on every chunk's token count, overlap included. */
  maxTokens: number;
  /** Upper bound on the text repeated from the previous chunk of the same section. */
  overlapTokens: number;
}

export const DEFAULT_CHUNKING_OPTIONS: ChunkingOptions = Object.freeze({ maxTokens: 400, overlapTokens: 60 });

const MIN_MAX_TOKENS = 16;
const MAX_MAX_TOKENS = 8192;

/** Fills in defaults and rejects limits the packer cannot honour. */
export function resolveChunkingOptions(options: Partial<ChunkingOptions> = {}): ChunkingOptions {
  const maxTokens = options.maxTokens ?? DEFAULT_CHUNKING_OPTIONS.maxTokens;
  const overlapTokens = options.overlapTokens ?? DEFAULT_CHUNKING_OPTIONS.overlapTokens;
  if (!Number.isInteger(maxTokens) || maxTokens < MIN_MAX_TOKENS || maxTokens > MAX_MAX_TOKENS) {
    throw new RangeError(`maxTokens must be an integer between ${MIN_MAX_TOKENS} and ${MAX_MAX_TOKENS}, got ${String(maxTokens)}`);
  }
  // Overlap below half a chunk guarantees every chunk still carries mostly new text.
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
    throw new RangeError(`overlapTokens must be an integer >= 0 and < maxTokens / 2 (${maxTokens / 2}), got ${String(overlapTokens)}`);
  }
  return { maxTokens, overlapTokens };
}
