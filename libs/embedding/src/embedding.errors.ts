export type EmbeddingErrorCode =
  'embedding_provider_error' | 'embedding_rate_limited' | 'embedding_bad_response' | 'embedding_dimension_mismatch' | 'embedding_timeout';

export interface EmbeddingErrorOptions {
  retryable?: boolean;
  status?: number;
  cause?: unknown;
}

/**
 * The one error type embedding callers need to handle. `code` is stable (safe for API error
 * bodies and metric labels); `retryable` tells a job runner whether a later attempt may succeed.
 * Messages never contain input texts or credentials, so they are safe to log.
 */
export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';
  readonly code: EmbeddingErrorCode;
  readonly retryable: boolean;
  readonly status?: number;

  constructor(code: EmbeddingErrorCode, message: string, opts: EmbeddingErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    // Throttling and timeouts are transient by nature; everything else must say so explicitly.
    this.retryable = opts.retryable ?? (code === 'embedding_rate_limited' || code === 'embedding_timeout');
    if (opts.status !== undefined) this.status = opts.status;
  }
}

export function isEmbeddingError(err: unknown): err is EmbeddingError {
  return err instanceof EmbeddingError;
}
