import { execFileSync } from 'node:child_process';
import { call, createTenant, gatewayUrl } from './support/api';

const metricsPorts = (): Record<string, number> => JSON.parse(process.env['E2E_METRICS_PORTS'] as string) as Record<string, number>;
const scrape = async (service: string) => {
  const res = await fetch(`http://127.0.0.1:${metricsPorts()[service]}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

/**
 * promtool (Debian's prometheus package; `npm test` installs it) checks the exposition format and naming, and
 * returns its problems. prom-client's own default gauges `nodejs_active_{handles,requests,resources}_total`
 * break the suffix rule upstream; they are the only problems tolerated.
 */
const UPSTREAM_NAMES = /^nodejs_active_(handles|requests|resources)_total /;
function promtoolProblems(exposition: string): string[] {
  try {
    execFileSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return [];
  } catch (error) {
    const out = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    return out.split('\n').filter((line) => line.trim() && !UPSTREAM_NAMES.test(line));
  }
}

describe('Prometheus metrics', () => {
  beforeAll(async () => {
    const t = await createTenant();
    await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'metrics', doc_id: 'm1', text: 'metrics are numbers' } });
    await call('POST', '/v1/search', { token: t.reader, body: { namespace: 'metrics', query: 'numbers', mode: 'vector' } });
    await call('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'metrics', documents: [{ doc_id: 'm2', text: 'batched' }] },
    });
    await new Promise((r) => setTimeout(r, 1_000));
  });

  it.each(['gateway', 'ingest', 'search', 'job-orchestrator', 'governance'])(
    '%s serves /metrics on its own port, valid for promtool',
    async (service) => {
      const text = await scrape(service);
      expect(text).toContain(`service="${service}"`);
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain('pg_pool_connections');
      expect(text).toContain('redis_connection_pool_size');
      expect(promtoolProblems(text)).toEqual([]);
    },
  );

  it('labels requests by route template, never by raw path or id', async () => {
    const gateway = await scrape('gateway');
    expect(gateway).toMatch(/http_requests_total\{[^}]*route="\/v1\/docs\/upsert"[^}]*\}/);
    expect(gateway).not.toContain('m1');
    const ingest = await scrape('ingest');
    expect(ingest).toMatch(/ingest_documents_total\{[^}]*status="created"/);
    expect(ingest).toMatch(/worker_jobs_total\{[^}]*queue="ingest"[^}]*status="completed"/);
    expect(await scrape('search')).toMatch(/search_duration_seconds_count\{[^}]*mode="vector"/);
    const orchestrator = await scrape('job-orchestrator');
    for (const name of ['worker_queue_length', 'dead_letter_queue_size', 'outbox_lag_seconds']) expect(orchestrator).toContain(name);
  });

  it('the public API port does not serve /metrics', async () => {
    const res = await fetch(`${gatewayUrl()}/metrics`);
    expect(res.status).toBe(404);
  });
});
