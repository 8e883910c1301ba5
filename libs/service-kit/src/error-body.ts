import { AppError, ErrorBody, ErrorCode, HTTP_STATUS_BY_ERROR_CODE, isErrorCode } from '@datafactory/contracts';
import { currentContext } from './request-context';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

/** Maps anything thrown to the public error shape. Unknown errors become a 500 without internals. */
export function toErrorResponse(error: unknown): ErrorResponse {
  const ctx = currentContext();
  const base = { request_id: ctx?.requestId ?? 'unknown', ...(ctx ? { trace_id: ctx.traceId } : {}) };
  const known = classify(error);
  return {
    status: HTTP_STATUS_BY_ERROR_CODE[known.code],
    body: {
      error: { code: known.code, message: known.message, ...(known.details === undefined ? {} : { details: known.details }), ...base },
    },
  };
}

interface Classified {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

function classify(error: unknown): Classified {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  const e = error as {
    type?: string;
    status?: number;
    statusCode?: number;
    message?: string;
    getStatus?: () => number;
    getResponse?: () => unknown;
  };
  // body-parser errors (they carry `type`).
  if (e?.type === 'entity.too.large')
    return { code: ErrorCode.PayloadTooLarge, message: 'request body is larger than the configured limit (MAX_BODY_BYTES)' };
  if (e?.type === 'entity.parse.failed') return { code: ErrorCode.MalformedJson, message: 'request body is not valid JSON' };
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return { code: ErrorCode.UnsupportedMediaType, message: e.message ?? 'unsupported encoding' };
  if (typeof e?.getStatus === 'function') {
    const status = e.getStatus();
    if (status === 404) return { code: ErrorCode.RouteNotFound, message: 'no such endpoint; see /docs for the API' };
    if (status === 413)
      return { code: ErrorCode.PayloadTooLarge, message: 'request body is larger than the configured limit (MAX_BODY_BYTES)' };
    if (status === 405) return { code: ErrorCode.RouteNotFound, message: 'method not allowed on this endpoint' };
    if (status >= 400 && status < 500) return { code: ErrorCode.InvalidRequest, message: e.message ?? 'invalid request' };
  }
  return { code: ErrorCode.Internal, message: 'internal error; the request id identifies it in the logs' };
}

/** Passes an upstream service's error body through unchanged when it already has our shape. */
export function isErrorBody(value: unknown): value is ErrorBody {
  const err = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return !!err && isErrorCode(err.code) && typeof err.message === 'string';
}
