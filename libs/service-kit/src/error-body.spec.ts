import { AppError, ErrorCode } from '@datafactory/contracts';
import { isErrorBody, toErrorResponse } from './error-body';
import { runWithContext } from './request-context';

/**
 * Shaped like Nest's HttpException (getStatus + message), which the mapper recognises by duck typing.
 * @nestjs/common itself is ESM-only and cannot be loaded by the CommonJS unit-test runtime.
 */
class FakeHttpException extends Error {
  constructor(
    message: string,
    private readonly status: number,
  ) {
    super(message);
  }

  getStatus(): number {
    return this.status;
  }
}

describe('toErrorResponse', () => {
  it('maps an AppError to its status, code, message and details', () => {
    const { status, body } = toErrorResponse(new AppError(ErrorCode.DocumentNotFound, 'no document "x"', { details: { doc_id: 'x' } }));
    expect(status).toBe(404);
    expect(body).toEqual({
      error: { code: 'document_not_found', message: 'no document "x"', details: { doc_id: 'x' }, request_id: 'unknown' },
    });
  });

  it('omits details when the AppError has none', () => {
    expect(toErrorResponse(new AppError(ErrorCode.Conflict, 'c')).body.error).not.toHaveProperty('details');
  });

  it('takes request id and trace id from the request context', () => {
    const ctx = { requestId: 'req-1', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) };
    const { body } = runWithContext(ctx, () => toErrorResponse(new AppError(ErrorCode.InvalidRequest, 'bad')));
    expect(body.error.request_id).toBe('req-1');
    expect(body.error.trace_id).toBe('a'.repeat(32));
  });

  it('has no trace_id and request_id "unknown" outside a request', () => {
    const { body } = toErrorResponse(new AppError(ErrorCode.InvalidRequest, 'bad'));
    expect(body.error.request_id).toBe('unknown');
    expect(body.error).not.toHaveProperty('trace_id');
  });

  it('maps body-parser errors by their type', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });
    expect(toErrorResponse(tooLarge)).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const badJson = Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    const parsed = toErrorResponse(badJson);
    expect(parsed).toMatchObject({ status: 400, body: { error: { code: 'malformed_json', message: 'request body is not valid JSON' } } });
    expect(parsed.body.error.message).not.toContain('Unexpected token');
    expect(toErrorResponse({ type: 'charset.unsupported', message: 'unsupported charset "X"' })).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_media_type', message: 'unsupported charset "X"' } },
    });
  });

  it('turns an unknown Error into a 500 without leaking its message', () => {
    const { status, body } = toErrorResponse(new Error('password=hunter2 at db.internal:5432'));
    expect(status).toBe(500);
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(body.error).not.toHaveProperty('details');
  });

  it.each([[null], [undefined], ['a string'], [42], [{}]])('turns a thrown non-Error %p into a 500', (thrown) => {
    expect(toErrorResponse(thrown)).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
  });

  it('maps Nest HTTP exceptions: 404 and 405 to route_not_found, 413, other 4xx to invalid_request, 5xx to internal', () => {
    expect(toErrorResponse(new FakeHttpException('Cannot GET /nope', 404))).toMatchObject({
      status: 404,
      body: { error: { code: 'route_not_found' } },
    });
    expect(toErrorResponse(new FakeHttpException('Method Not Allowed', 405))).toMatchObject({
      status: 404,
      body: { error: { code: 'route_not_found' } },
    });
    expect(toErrorResponse(new FakeHttpException('Payload Too Large', 413))).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
    expect(toErrorResponse(new FakeHttpException('limit must be a number', 400))).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'limit must be a number' } },
    });
    expect(toErrorResponse(new FakeHttpException('teapot', 418))).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
    const internal = toErrorResponse(new FakeHttpException('secret detail', 500));
    expect(internal).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
    expect(internal.body.error.message).not.toContain('secret detail');
  });
});

describe('isErrorBody', () => {
  it('recognises the public error shape only with a known code and a string message', () => {
    expect(isErrorBody({ error: { code: 'conflict', message: 'x', request_id: 'r' } })).toBe(true);
    expect(isErrorBody({ error: { code: 'nope', message: 'x' } })).toBe(false);
    expect(isErrorBody({ error: { code: 'conflict', message: 1 } })).toBe(false);
    expect(isErrorBody({ error: { code: 'constructor', message: 'x' } })).toBe(false);
    expect(isErrorBody({ message: 'x' })).toBe(false);
    expect(isErrorBody(null)).toBe(false);
    expect(isErrorBody('error')).toBe(false);
  });
});
