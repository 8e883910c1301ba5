import { call, createTenant, expectError, gatewayUrl, TenantKeys } from './support/api';

describe('bad input, errors, health and OpenAPI', () => {
  let t: TenantKeys;

  beforeAll(async () => {
    t = await createTenant();
  });

  const upsert = (body: unknown) => call('POST', '/v1/docs/upsert', { token: t.writer, body });

  it('400 with field details for missing fields, wrong types and unknown fields', async () => {
    const missing = await upsert({ text: 'no id' });
    expectError(missing, 400, 'invalid_request');
    expect(JSON.stringify(missing.body)).toContain('doc_id');
    expectError(await upsert({ doc_id: 'x' }), 400, 'invalid_request');
    expectError(await upsert({ doc_id: 42, text: 'wrong type' }), 400, 'invalid_request');
    expectError(await upsert({ doc_id: 'x', text: ['not', 'a', 'string'] }), 400, 'invalid_request');
    expectError(await upsert({ doc_id: 'x', text: '   \n\t ' }), 400, 'invalid_request');
    expectError(await upsert({ doc_id: 'x', text: 'nul \u0000 inside' }), 400, 'invalid_request');
    expectError(await upsert({ doc_id: 'x', text: 'ok', metadata: 'not an object' }), 400, 'invalid_request');
    expectError(await upsert({ doc_id: 'x', text: 'ok', subject_ids: 'me' }), 400, 'invalid_request');
    expectError(await upsert({ doc_id: 'x', text: 'ok', namespace: 'bad namespace!' }), 400, 'invalid_request');
    const unknown = await upsert({ doc_id: 'x', text: 'ok', tenant_id: 'someone-else' });
    expectError(unknown, 400, 'invalid_request');
    expect((unknown.body as { error: { message: string } }).error.message).toContain('tenant_id');
    expectError(await upsert([{ doc_id: 'x', text: 'array body' }]), 400, 'invalid_request');
  });

  it('400 for malformed JSON and a missing body', async () => {
    expectError(await call('POST', '/v1/docs/upsert', { token: t.writer, rawBody: '{"doc_id": "x", "text": ' }), 400, 'malformed_json');
    expectError(await call('POST', '/v1/search', { token: t.reader, rawBody: 'not json at all' }), 400, 'malformed_json');
    expectError(await call('POST', '/v1/docs/upsert', { token: t.writer }), 400, 'invalid_request');
    expectError(await call('POST', '/v1/admin/tenants', { token: process.env['E2E_ADMIN_TOKEN'], rawBody: '{' }), 400, 'malformed_json');
  });

  it('413 for a body over the limit (10 MiB by default)', async () => {
    const res = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { doc_id: 'huge', text: 'a'.repeat(10 * 1024 * 1024 + 10) },
    });
    expectError(res, 413, 'payload_too_large');
  });

  it('accepts a large document just under the limit', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `Sentence number ${i} talks about topic ${i % 17}.`).join(' ');
    const res = await upsert({ doc_id: 'big', text });
    expect(res.status).toBe(200);
    expect((res.body as { chunks: number }).chunks).toBeGreaterThan(10);
  });

  it('404 with the error shape for unknown routes; request ids are echoed', async () => {
    const res = await call('GET', '/v1/nope', { token: t.reader, headers: { 'x-request-id': 'my-request-123' } });
    expectError(res, 404, 'route_not_found');
    expect((res.body as { error: { request_id: string; trace_id: string } }).error).toMatchObject({
      request_id: 'my-request-123',
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it("continues the caller's W3C trace", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await call('GET', '/v1/docs/missing', { token: t.reader, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expectError(res, 404, 'document_not_found');
    expect((res.body as { error: { trace_id: string } }).error.trace_id).toBe(traceId);
  });

  it('GET /v1/health reports every subsystem', async () => {
    const res = await call<{ status: string; checks: Record<string, { status: string }> }>('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    for (const name of ['postgres', 'pgvector', 'redis', 'ingest', 'search', 'job-orchestrator', 'governance']) {
      expect(res.body.checks[name]).toMatchObject({ status: 'up' });
    }
  });

  it('serves the OpenAPI document and UI at /docs, generated from the code', async () => {
    const ui = await fetch(`${gatewayUrl()}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const doc = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('GET', '/docs/openapi.json');
    expect(doc.status).toBe(200);
    for (const path of [
      '/v1/docs/upsert',
      '/v1/docs',
      '/v1/docs/{docId}',
      '/v1/search',
      '/v1/index/stats',
      '/v1/health',
      '/v1/admin/tenants',
      '/v1/admin/tenants/{tenantId}/keys',
      '/v1/admin/tenants/{tenantId}/keys/{keyId}',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    const upsertBody = JSON.stringify(doc.body.paths['/v1/docs/upsert']);
    expect(upsertBody).toContain('doc_id');
    expect(upsertBody).toContain('subject_ids');
  });
});
