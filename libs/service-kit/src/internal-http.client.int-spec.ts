import { AppError, ErrorCode, asTenantId } from '@datafactory/contracts';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { InternalHttpClient } from './internal-http.client';

/** A local server standing in for a service: counts connections, can stall or drop a reused connection. */
describe('InternalHttpClient (local HTTP server)', () => {
  let server: Server;
  let baseUrl: string;
  const sockets = new Set<Socket>();
  const requestsOn = new WeakMap<Socket, number>();
  let behaviour: 'echo' | 'stall' | 'drop-reused' = 'echo';
  let seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const n = (requestsOn.get(req.socket) ?? 0) + 1;
      requestsOn.set(req.socket, n);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (behaviour === 'stall') return; // never answers
        if (behaviour === 'drop-reused' && n > 1) {
          req.socket.destroy(); // what a server closing an idle keep-alive connection looks like to the client
          return;
        }
        if (req.url === '/fail') {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'document_not_found', message: 'no such document' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, n }));
      });
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    behaviour = 'echo';
    seen = [];
  });

  const client = (timeoutMs = 2_000) => new InternalHttpClient('search', baseUrl, 'internal-secret', timeoutMs);

  it('sends the token, the tenant and a JSON body, and reuses one connection for calls in a row', async () => {
    const tenant = asTenantId('0b8e6c1e-7d4e-4c1a-9f3e-2a1b3c4d5e6f');
    const first = await client().request<{ ok: boolean; n: number }>('POST', '/v1/search', { tenantId: tenant, body: { query: 'héllo' } });
    const second = await client().request<{ ok: boolean; n: number }>('GET', '/v1/index/stats?namespace=a', { tenantId: tenant });
    expect(first).toEqual({ status: 200, body: { ok: true, n: expect.any(Number) } });
    expect(second.body.n).toBe(first.body.n + 1); // the second request came on the same connection
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/search', body: JSON.stringify({ query: 'héllo' }) });
    expect(seen[0]!.headers).toMatchObject({
      'x-internal-token': 'internal-secret',
      'x-tenant-id': tenant,
      'content-type': 'application/json',
    });
    expect(Number(seen[0]!.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify({ query: 'héllo' })));
    expect(seen[1]).toMatchObject({ method: 'GET', url: '/v1/index/stats?namespace=a', body: '' });
  });

  it('sends an idempotent request again, once, when the reused connection was closed under it', async () => {
    await client().request('GET', '/warm'); // leaves an idle connection in the pool
    behaviour = 'drop-reused';
    const res = await client().request<{ ok: boolean; n: number }>('POST', '/v1/search', { body: { q: 1 }, idempotent: true });
    expect(res.body).toEqual({ ok: true, n: 1 }); // answered on a fresh connection
    expect(seen.filter((s) => s.url === '/v1/search')).toHaveLength(2);
  });

  it('does not send any other request twice: the server may have acted on it', async () => {
    await client().request('GET', '/warm');
    behaviour = 'drop-reused';
    const error = await client()
      .request('POST', '/v1/jobs', { body: { q: 1 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.DependencyUnavailable });
    expect(seen.filter((s) => s.url === '/v1/jobs')).toHaveLength(1);
  });

  it("passes the service's own error through", async () => {
    await expect(client().request('GET', '/fail')).rejects.toMatchObject({ code: 'document_not_found', message: 'no such document' });
  });

  it('maps a service that does not answer in time to upstream_timeout, naming it', async () => {
    behaviour = 'stall';
    const error = await client(200)
      .request('GET', '/slow')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: ErrorCode.UpstreamTimeout, message: 'the search service did not answer within 200 ms' });
  });

  it('maps a service that cannot be reached to dependency_unavailable, naming it', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await new InternalHttpClient('ingest', `http://127.0.0.1:${port}`, 't', 2_000)
      .request('GET', '/x')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.DependencyUnavailable, message: 'the ingest service is unavailable' });
  });
});
