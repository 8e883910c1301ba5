/**
 * Stable error codes of the public API. Clients branch on `code`, never on `message`.
 * HTTP statuses are attached here so every service maps a code the same way at the edge.
 */
export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  MalformedJson: 'malformed_json',
  PayloadTooLarge: 'payload_too_large',
  UnsupportedMediaType: 'unsupported_media_type',
  MissingCredentials: 'missing_credentials',
  InvalidCredentials: 'invalid_credentials',
  AdminTokenRequired: 'admin_token_required',
  TenantKeyRequired: 'tenant_key_required',
  InsufficientRole: 'insufficient_role',
  RouteNotFound: 'route_not_found',
  TenantNotFound: 'tenant_not_found',
  ApiKeyNotFound: 'api_key_not_found',
  DocumentNotFound: 'document_not_found',
  JobNotFound: 'job_not_found',
  DeadLetterNotFound: 'dead_letter_not_found',
  Conflict: 'conflict',
  JobNotCancellable: 'job_not_cancellable',
  IdempotencyKeyReused: 'idempotency_key_reused',
  IdempotencyInProgress: 'idempotency_request_in_progress',
  BatchTooLarge: 'batch_too_large',
  QueueUnavailable: 'queue_unavailable',
  EmbeddingFailed: 'embedding_failed',
  EmbeddingRejected: 'embedding_rejected',
  PiiDetected: 'pii_detected',
  DocumentErased: 'document_erased',
  ErasureNotFound: 'erasure_not_found',
  DependencyUnavailable: 'dependency_unavailable',
  UpstreamTimeout: 'upstream_timeout',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HTTP_STATUS_BY_ERROR_CODE: Record<ErrorCode, number> = {
  invalid_request: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  missing_credentials: 401,
  invalid_credentials: 401,
  admin_token_required: 403,
  tenant_key_required: 403,
  insufficient_role: 403,
  route_not_found: 404,
  tenant_not_found: 404,
  api_key_not_found: 404,
  document_not_found: 404,
  job_not_found: 404,
  dead_letter_not_found: 404,
  conflict: 409,
  job_not_cancellable: 409,
  idempotency_key_reused: 422,
  idempotency_request_in_progress: 409,
  batch_too_large: 413,
  queue_unavailable: 503,
  embedding_failed: 502,
  embedding_rejected: 422,
  pii_detected: 422,
  document_erased: 409,
  erasure_not_found: 404,
  dependency_unavailable: 503,
  upstream_timeout: 504,
  internal_error: 500,
};

/**
 * The failures that may pass if the same work is tried again later: something it depends on was down, slow or
 * failing. Every other code describes the request or the data, and trying again gives the same answer. The job
 * worker retries on these and fails the job at once on the others; HTTP statuses play no part in it.
 */
const TRANSIENT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.QueueUnavailable,
  ErrorCode.EmbeddingFailed,
  ErrorCode.DependencyUnavailable,
  ErrorCode.UpstreamTimeout,
  ErrorCode.Internal,
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  // Own keys only: `in` would also accept inherited names such as "toString" or "constructor".
  return typeof value === 'string' && Object.hasOwn(HTTP_STATUS_BY_ERROR_CODE, value);
}

/** One problem in a request, pointing at the offending field. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The one error shape every endpoint returns. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    request_id: string;
    trace_id?: string;
  };
}

/**
 * A failure the caller can act on. Thrown anywhere in the services; turned into {@link ErrorBody}
 * with the right HTTP status only by the edge filter.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return HTTP_STATUS_BY_ERROR_CODE[this.code];
  }

  /** Whether trying the same work again later may succeed (see TRANSIENT_ERROR_CODES). */
  get transient(): boolean {
    return TRANSIENT_ERROR_CODES.has(this.code);
  }
}
