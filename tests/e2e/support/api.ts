import { randomUUID } from 'node:crypto';

export const gatewayUrl = (): string => required('E2E_GATEWAY_URL');
export const adminToken = (): string => required('E2E_ADMIN_TOKEN');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup did not run`);
  return value;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A tiny HTTP client for the gateway: JSON in, JSON out, never throws on a 4xx/5xx. */
export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${gatewayUrl()}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, headers: res.headers };
}

export interface TenantKeys {
  tenantId: string;
  writer: string;
  reader: string;
  admin: string;
  writerKeyId: string;
}

/** Every test file works in tenants of its own. */
export async function createTenant(name = `tenant-${randomUUID().slice(0, 8)}`): Promise<TenantKeys> {
  const tenant = await call<{ tenant_id: string }>('POST', '/v1/admin/tenants', { token: adminToken(), body: { name } });
  if (tenant.status !== 201) throw new Error(`create tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const tenantId = tenant.body.tenant_id;
  const issue = async (role: string) => {
    const res = await call<{ api_key: string; key_id: string }>('POST', `/v1/admin/tenants/${tenantId}/keys`, {
      token: adminToken(),
      body: { role },
    });
    if (res.status !== 201) throw new Error(`issue key: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const writer = await issue('writer');
  return {
    tenantId,
    writer: writer.api_key,
    writerKeyId: writer.key_id,
    reader: (await issue('reader')).api_key,
    admin: (await issue('admin')).api_key,
  };
}

export interface ErrorShape {
  error: { code: string; message: string; details?: unknown; request_id: string; trace_id?: string };
}

/** Asserts the public error shape and returns the code. */
export function expectError(res: ApiResponse<unknown>, status: number, code: string): void {
  const body = res.body as ErrorShape;
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(typeof body.error.request_id).toBe('string');
  expect(body.error.request_id).toBe(res.headers.get('x-request-id'));
}

const TERMINAL_JOB_STATUSES = ['completed', 'failed', 'cancelled', 'dead_lettered'];

/** Polls a job until it reaches an end state; throws (naming its last status) after `timeoutMs`. */
export async function waitForJob<J extends { status: string }>(token: string, jobId: string, timeoutMs = 30_000): Promise<J> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call<J>('GET', `/v1/jobs/${jobId}`, { token });
    expect(res.status).toBe(200);
    if (TERMINAL_JOB_STATUSES.includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
