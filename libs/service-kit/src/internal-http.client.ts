import { AppError, ErrorCode, InternalHeader, TenantId } from '@datafactory/contracts';
import { Agent, IncomingMessage, request as httpRequest } from 'node:http';
import { activeSpanIds } from '@datafactory/telemetry/tracing';
import { isErrorBody } from './error-body';
import { currentContext, traceparentOf } from './request-context';

export interface InternalResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * Connections to the other services are kept open and reused. Node's agent closes an idle one before the
 * server's keep-alive timeout (it reads the server's `Keep-Alive` header), and an idempotent request that still meets
 * a connection the server has just closed is sent again once (see `send`).
 */
const AGENT = new Agent({ keepAlive: true, maxSockets: 256 });
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * HTTP to another service. Carries the internal token, the tenant, the request id and W3C trace
 * context; maps "cannot reach" to 503 and "too slow" to 504 with the service named.
 *
 * Plain `node:http` with a keep-alive agent, not `fetch`: this is on every request's path through the gateway,
 * and `fetch` costs about twice the CPU per call (docs/performance.md, "Search path").
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
    opts: {
      tenantId?: TenantId | null;
      apiKeyId?: string;
      body?: unknown;
      headers?: Record<string, string>;
      /** Safe to send twice (a read such as a search); GET, HEAD, PUT and DELETE always are. */
      idempotent?: boolean;
    } = {},
  ): Promise<InternalResponse<T>> {
    const ctx = currentContext();
    const headers: Record<string, string> = { ...opts.headers, [InternalHeader.Token]: this.token, accept: 'application/json' };
    if (ctx) {
      headers[InternalHeader.RequestId] = ctx.requestId;
      // With tracing on, the http instrumentation opens a client span and sends its own traceparent;
      // a second header here would make the callee see two.
      if (!activeSpanIds()) headers[InternalHeader.TraceParent] = traceparentOf(ctx);
    }
    if (opts.tenantId) headers[InternalHeader.TenantId] = opts.tenantId;
    else if (opts.tenantId === null) headers[InternalHeader.Scope] = 'admin';
    if (opts.apiKeyId) headers[InternalHeader.ApiKeyId] = opts.apiKeyId;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }

    let res: { status: number; text: string };
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const retry = opts.idempotent === true || IDEMPOTENT_METHODS.has(method);
      res = await this.send(method, new URL(path, this.baseUrl), headers, payload, deadline, retry);
    } catch (error) {
      if (deadline.aborted) {
        throw new AppError(ErrorCode.UpstreamTimeout, `the ${this.service} service did not answer within ${this.timeoutMs} ms`, {
          cause: error,
        });
      }
      throw new AppError(ErrorCode.DependencyUnavailable, `the ${this.service} service is unavailable`, { cause: error });
    }
    const text = res.text;
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch (error) {
      throw new AppError(ErrorCode.Internal, `the ${this.service} service sent a malformed response`, { cause: error });
    }
    if (res.status >= 400) {
      if (isErrorBody(body)) throw new AppError(body.error.code, body.error.message, { details: body.error.details });
      throw new AppError(
        res.status >= 500 ? ErrorCode.DependencyUnavailable : ErrorCode.Internal,
        `the ${this.service} service failed (HTTP ${res.status})`,
      );
    }
    return { status: res.status, body: body as T };
  }

  /**
   * One exchange. An idempotent one is sent again, once, when a reused connection turns out to have been closed by
   * the server: the reset does not prove the server did not act on it, so anything else fails instead.
   */
  private async send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    payload: string | undefined,
    signal: AbortSignal,
    retry: boolean,
  ): Promise<{ status: number; text: string }> {
    try {
      return await exchange(method, url, headers, payload, signal);
    } catch (error) {
      if (!retry || !(error instanceof StaleConnectionError)) throw error;
      return exchange(method, url, headers, payload, signal);
    }
  }
}

/** A reused keep-alive connection was reset before any response: the server closed it as the request left. */
class StaleConnectionError extends Error {}

function exchange(
  method: string,
  url: URL,
  headers: Record<string, string>,
  payload: string | undefined,
  signal: AbortSignal,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: AGENT, signal }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ECONNRESET' && req.reusedSocket ? new StaleConnectionError(error.message, { cause: error }) : error);
    });
    req.end(payload);
  });
}
