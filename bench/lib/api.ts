import { performance } from 'node:perf_hooks';

/** Outcome of one request; never thrown, so a benchmark phase can count failures. */
export type ApiResult<T> =
  { ok: true; status: number; ms: number; body: T } | { ok: false; status: number; ms: number; code: string; message: string };

/**
 * Minimal JSON client for the DataFactory gateway. `ms` is the client-side latency: from just
 * before the request is sent until the whole response body has been read. Failures carry the
 * API's error code ({"error":{"code","message"}}), or for transport problems status 0 and a code
 * such as ECONNREFUSED or timeout.
 */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** `token` null sends no Authorization header. */
  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, token: string | null, body?: unknown): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';

    const started = performance.now();
    let status = 0;
    let text: string;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (error) {
      return { ok: false, status, ms: performance.now() - started, code: transportCode(error), message: describe(error) };
    }
    const ms = performance.now() - started;

    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status >= 200 && status < 300) {
      if (parsed === undefined) return { ok: false, status, ms, code: 'invalid_response', message: `not JSON: ${text.slice(0, 200)}` };
      return { ok: true, status, ms, body: parsed as T };
    }
    const error = apiError(parsed);
    return { ok: false, status, ms, code: error?.code ?? `http_${status}`, message: error?.message ?? text.slice(0, 200) };
  }
}

function apiError(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
  return code === undefined ? undefined : { code, message };
}

function transportCode(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timeout';
    const cause = error.cause;
    if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
    return error.name;
  }
  return 'network_error';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/** Runs `worker` over `items` with at most `concurrency` calls in flight, in item order. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await worker(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
