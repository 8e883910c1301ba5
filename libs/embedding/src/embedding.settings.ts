export type EmbeddingProviderName = 'hash' | 'openai';

export type EmbeddingCallOutcome = 'success' | 'retry' | 'failure';

export interface EmbeddingCallInfo {
  batchSize: number;
  durationMs: number;
  status?: number;
}

export interface EmbeddingSettings {
  provider: EmbeddingProviderName;
  /** openai only, e.g. http://127.0.0.1:11434/v1; requests go to `${baseUrl}/embeddings`. */
  baseUrl?: string;
  /** hash: default 'fh-v1' (the only hash model); openai: required. */
  model?: string;
  /** hash: default 384; openai: sent as `dimensions` when set and enforced on every response. */
  dimensions?: number;
  /** openai: `Authorization: Bearer <key>` (or `api-key` in Azure mode). */
  apiKey?: string;
  /** Texts per request; default 64. */
  batchSize?: number;
  /** openai: requests of one embed() call in flight at once; default 4. */
  concurrency?: number;
  /** Retries after the first attempt; default 5. */
  maxRetries?: number;
  /** Per HTTP request (not per embed() call); default 30000. */
  timeoutMs?: number;
  /** Azure OpenAI: send `api-key` instead of Authorization and append `?api-version=...`. */
  azureApiVersion?: string;
  /** Metrics hook, called once per HTTP attempt. Exceptions thrown by it are ignored. */
  onCall?: (outcome: EmbeddingCallOutcome, info: EmbeddingCallInfo) => void;
}

export const DEFAULT_HASH_MODEL = 'fh-v1';
export const DEFAULT_HASH_DIMENSIONS = 384;
export const MIN_HASH_DIMENSIONS = 8;
export const MAX_HASH_DIMENSIONS = 4096;
export const DEFAULT_BATCH_SIZE = 64;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_TIMEOUT_MS = 30_000;
