import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, createTenant } from './support/api';

/** Every JSON log line of every service of the e2e stack. */
function logLines(): Array<Record<string, unknown>> {
  const dir = process.env['E2E_LOG_DIR'] as string;
  return readdirSync(dir).flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  );
}

describe('structured logs', () => {
  it('every service writes JSON lines; one request is one trace across gateway and ingest, with ids and tenant, and no text', async () => {
    const t = await createTenant();
    const requestId = `logs-${randomUUID()}`;
    const canary = `LOGCANARY${randomUUID().replace(/-/g, '')}`;
    const res = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'logs', doc_id: 'l1', text: `secret text ${canary}` },
      headers: { 'x-request-id': requestId },
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));

    const lines = logLines().filter((l) => l['request_id'] === requestId);
    const gateway = lines.find((l) => l['service'] === 'gateway' && l['msg'] === 'request');
    const ingest = lines.find((l) => l['service'] === 'ingest' && l['msg'] === 'request');
    expect(gateway).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/v1/docs/upsert',
      status: 200,
      tenant_id: t.tenantId,
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(ingest).toMatchObject({ route: '/v1/docs/upsert', status: 200, tenant_id: t.tenantId, trace_id: gateway!['trace_id'] });
    expect(ingest!['span_id']).not.toBe(gateway!['span_id']);
    expect(typeof gateway!['time']).toBe('string');

    const services = new Set(logLines().map((l) => l['service']));
    for (const svc of ['gateway', 'ingest', 'search', 'job-orchestrator', 'governance']) expect(services).toContain(svc);
    expect(logLines().some((l) => JSON.stringify(l).includes(canary))).toBe(false);
    expect(logLines().some((l) => JSON.stringify(l).includes(t.writer))).toBe(false);
  });
});
