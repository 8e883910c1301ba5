import { AppError, ErrorCode, HTTP_STATUS_BY_ERROR_CODE, isErrorCode } from './errors';

describe('AppError', () => {
  it.each([
    [ErrorCode.InvalidRequest, 400],
    [ErrorCode.MalformedJson, 400],
    [ErrorCode.PayloadTooLarge, 413],
    [ErrorCode.UnsupportedMediaType, 415],
    [ErrorCode.MissingCredentials, 401],
    [ErrorCode.InvalidCredentials, 401],
    [ErrorCode.AdminTokenRequired, 403],
    [ErrorCode.TenantKeyRequired, 403],
    [ErrorCode.InsufficientRole, 403],
    [ErrorCode.RouteNotFound, 404],
    [ErrorCode.TenantNotFound, 404],
    [ErrorCode.ApiKeyNotFound, 404],
    [ErrorCode.DocumentNotFound, 404],
    [ErrorCode.Conflict, 409],
    [ErrorCode.EmbeddingFailed, 502],
    [ErrorCode.DependencyUnavailable, 503],
    [ErrorCode.UpstreamTimeout, 504],
    [ErrorCode.Internal, 500],
  ])('maps %s to HTTP %i', (code, status) => {
    expect(new AppError(code, 'm').status).toBe(status);
  });

  it('calls transient exactly the failures of something the work depends on, and nothing about the request or the data', () => {
    const transient = Object.values(ErrorCode).filter((code) => new AppError(code, 'm').transient);
    expect(transient.sort()).toEqual([
      'dependency_unavailable',
      'embedding_failed',
      'internal_error',
      'queue_unavailable',
      'upstream_timeout',
    ]);
    for (const code of [
      ErrorCode.InvalidRequest,
      ErrorCode.DocumentErased,
      ErrorCode.EmbeddingRejected,
      ErrorCode.PiiDetected,
      ErrorCode.Conflict,
    ]) {
      expect(new AppError(code, 'm').transient).toBe(false);
    }
  });

  it('has exactly one status per code', () => {
    expect(Object.keys(HTTP_STATUS_BY_ERROR_CODE).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it('is an Error with name, code, message, details and cause', () => {
    const cause = new Error('root');
    const e = new AppError(ErrorCode.Conflict, 'already exists', { details: { doc_id: 'd' }, cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('AppError');
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('already exists');
    expect(e.details).toEqual({ doc_id: 'd' });
    expect(e.cause).toBe(cause);
    expect(typeof e.stack).toBe('string');
  });

  it('has no cause and no details unless given', () => {
    const e = new AppError(ErrorCode.Internal, 'x');
    expect(e.details).toBeUndefined();
    expect('cause' in e).toBe(false);
  });
});

describe('isErrorCode', () => {
  it('recognises the codes and nothing else', () => {
    expect(isErrorCode('invalid_request')).toBe(true);
    expect(isErrorCode('internal_error')).toBe(true);
    expect(isErrorCode('teapot')).toBe(false);
    expect(isErrorCode(400)).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it('does not accept names inherited from Object.prototype (an upstream body could carry them)', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) expect(isErrorCode(name)).toBe(false);
  });
});
