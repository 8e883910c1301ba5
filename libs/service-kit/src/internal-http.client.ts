import { AppError, ErrorCode, InternalHeader, TenantId } from '@datafactory/contracts';
import { activeSpanIds } from '@datafactory/telemetry/tracing';
import { isErrorBody } from './error-body';
import { currentContext, traceparentOf } from './request-context';

export interface InternalResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * HTTP to another service. Carries the internal token, the tenant, the request id and W3C trace
 * context; maps "cannot reach" to 503 and "too slow" to 504 with the service named.
 */
export class InternalHttpClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    opts: { tenantId?: TenantId | null; apiKeyId?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<InternalResponse<T>> {
    const ctx = currentContext();
    const headers: Record<string, string> = { ...opts.headers, [InternalHeader.Token]: this.token, accept: 'application/json' };
    if (ctx) {
      headers[InternalHeader.RequestId] = ctx.requestId;
      // With tracing on, the fetch (undici) instrumentation opens a client span and sends its own traceparent;
      // a second header here would make the callee see two.
      if (!activeSpanIds()) headers[InternalHeader.TraceParent] = traceparentOf(ctx);
    }
    if (opts.tenantId) headers[InternalHeader.TenantId] = opts.tenantId;
    else if (opts.tenantId === null) headers[InternalHeader.Scope] = 'admin';
    if (opts.apiKeyId) headers[InternalHeader.ApiKeyId] = opts.apiKeyId;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';

    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new AppError(ErrorCode.UpstreamTimeout, `the ${this.service} service did not answer within ${this.timeoutMs} ms`, { cause: error });
      }
      throw new AppError(ErrorCode.DependencyUnavailable, `the ${this.service} service is unavailable`, { cause: error });
    }
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch (error) {
      throw new AppError(ErrorCode.Internal, `the ${this.service} service sent a malformed response`, { cause: error });
    }
    if (res.status >= 400) {
      if (isErrorBody(body)) throw new AppError(body.error.code, body.error.message, { details: body.error.details });
      throw new AppError(res.status >= 500 ? ErrorCode.DependencyUnavailable : ErrorCode.Internal, `the ${this.service} service failed (HTTP ${res.status})`);
    }
    return { status: res.status, body: body as T };
  }
}
