import { randomUUID } from 'node:crypto';
import { CollectedSpan, SpanKindCode, readSpans } from '../../libs/testing/src';
import { call, createTenant, waitForJob } from './support/api';
import { SERVICE_VERSION } from '../../libs/telemetry/src/version';

const spansFile = (): string => process.env['E2E_SPANS_FILE'] as string;

/**
 * The spans of one trace, waiting until `done` holds or 30 s pass. Each service exports on its own schedule (in
 * batches, every 200 ms here), so spans of one trace arrive in no particular order: `done` must name every span
 * the test goes on to look at, not just the last one to end.
 */
async function traceSpans(traceId: string, done: (spans: CollectedSpan[]) => boolean): Promise<CollectedSpan[]> {
  const deadline = Date.now() + 30_000;
  let spans: CollectedSpan[] = [];
  while (Date.now() < deadline) {
    spans = readSpans(spansFile()).filter((s) => s.traceId === traceId);
    if (done(spans)) return spans;
    await new Promise((r) => setTimeout(r, 200));
  }
  return spans;
}

/** True when every span's parent has arrived too (roots, and children of the caller's span, excepted): no chain has a gap. */
function connected(spans: CollectedSpan[], callerSpanId?: string): boolean {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.every((s) => !s.parentSpanId || s.parentSpanId === callerSpanId || ids.has(s.parentSpanId));
}

/** True when `ancestor` is `span` itself or on its parent chain. */
function descends(spans: CollectedSpan[], span: CollectedSpan, ancestor: CollectedSpan): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let s: CollectedSpan | undefined = span; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) {
    if (s.spanId === ancestor.spanId) return true;
  }
  return false;
}

const isServer = (service: string) => (s: CollectedSpan) => s.service === service && s.kind === SpanKindCode.Server;
const isPg = (s: CollectedSpan) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql';
const isRedis = (s: CollectedSpan) => s.attributes['db.system'] === 'redis' || s.attributes['db.system.name'] === 'redis';

describe('tracing (OpenTelemetry → OTLP)', () => {
  it('a batch ingest is one trace: gateway → job-orchestrator → outbox relay → queue → ingest worker → Postgres', async () => {
    const t = await createTenant();
    const canary = `TRACECANARY${randomUUID().replace(/-/g, '')}`;
    const res = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: {
        namespace: 'traces',
        documents: [
          { doc_id: 'tr1', text: `first ${canary}`, metadata: { owner: canary } },
          { doc_id: 'tr2', text: 'second' },
        ],
      },
    });
    expect(res.status).toBe(202);
    const traceId = res.headers.get('x-trace-id') as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect((await waitForJob(t.writer, res.body.job_id)).status).toBe('completed');

    const isGateway = isServer('datafactory-gateway');
    const isOrchestrator = isServer('datafactory-job-orchestrator');
    const isProducer = (s: CollectedSpan) => s.service === 'datafactory-job-orchestrator' && s.kind === SpanKindCode.Producer;
    const isConsumer = (s: CollectedSpan) => s.service === 'datafactory-ingest' && s.kind === SpanKindCode.Consumer;
    const isHandler = (s: CollectedSpan) => s.service === 'datafactory-job-orchestrator' && s.attributes['nestjs.type'] === 'handler';
    const isWorkerQuery = (s: CollectedSpan) => s.service === 'datafactory-ingest' && isPg(s);
    const spans = await traceSpans(
      traceId,
      (s) => connected(s) && [isGateway, isOrchestrator, isProducer, isConsumer, isHandler, isWorkerQuery].every((p) => s.some(p)),
    );
    const gateway = spans.find(isGateway);
    const orchestrator = spans.find(isOrchestrator);
    const producer = spans.find(isProducer);
    const consumer = spans.find(isConsumer);
    expect(gateway).toMatchObject({ attributes: expect.objectContaining({ 'http.route': '/v1/docs/upsert/batch' }) });
    expect(gateway!.parentSpanId).toBeUndefined(); // the client sent no traceparent: the gateway starts the trace
    expect(orchestrator && descends(spans, orchestrator, gateway!)).toBe(true);
    expect(producer).toMatchObject({
      name: 'publish ingest',
      attributes: expect.objectContaining({ 'messaging.message.id': res.body.job_id }),
    });
    expect(descends(spans, producer!, orchestrator!)).toBe(true);
    expect(consumer).toMatchObject({
      name: 'process ingest',
      parentSpanId: producer!.spanId,
      attributes: expect.objectContaining({ 'messaging.system': 'bullmq', 'datafactory.job.type': 'batch_upsert' }),
    });
    // The worker's database work hangs under its consumer span.
    const workerQueries = spans.filter(isWorkerQuery);
    expect(workerQueries.length).toBeGreaterThan(0);
    for (const q of workerQueries) expect(descends(spans, q, consumer!)).toBe(true);
    // Nest handler spans (our interceptor) sit between the HTTP span and the handler's queries.
    expect(spans.some(isHandler)).toBe(true);

    // Nothing a person typed reaches a span: not the text, not the metadata.
    expect(JSON.stringify(spans)).not.toContain(canary);
  });

  it("a synchronous upsert and a search continue the caller's traceparent through gateway, service and Postgres", async () => {
    const t = await createTenant();
    const traceId = randomUUID().replace(/-/g, '');
    const callerSpan = '00f067aa0ba902b7';
    const canary = `QUERYCANARY${randomUUID().replace(/-/g, '')}`;
    const headers = { traceparent: `00-${traceId}-${callerSpan}-01` };
    expect(
      (
        await call('POST', '/v1/docs/upsert', {
          token: t.writer,
          body: { namespace: 'traces', doc_id: 's1', text: `hello ${canary}` },
          headers,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', '/v1/search', {
          token: t.reader,
          body: { namespace: 'traces', query: `hello ${canary}`, mode: 'hybrid' },
          headers,
        })
      ).status,
    ).toBe(200);
    // Whatever a query string holds is redacted from URL attributes (a bad cursor, refused by governance).
    expect((await call('GET', `/v1/audit?cursor=${canary}`, { token: t.admin, headers })).status).toBe(400);
    expect((await call('GET', '/v1/audit?limit=1', { token: t.admin, headers })).status).toBe(200);

    const services = ['datafactory-ingest', 'datafactory-search', 'datafactory-governance'];
    const isGatewayServer = isServer('datafactory-gateway');
    const spans = await traceSpans(
      traceId,
      (s) =>
        connected(s, callerSpan) &&
        s.filter(isGatewayServer).length === 4 &&
        services.every((svc) => s.some(isServer(svc)) && s.some((x) => x.service === svc && isPg(x))),
    );
    const gatewayServers = spans.filter(isGatewayServer);
    expect(gatewayServers.length).toBe(4);
    for (const g of gatewayServers) expect(g.parentSpanId).toBe(callerSpan);
    for (const svc of services) {
      const servers = spans.filter(isServer(svc));
      expect(servers.length).toBeGreaterThan(0);
      for (const server of servers) expect(gatewayServers.some((g) => descends(spans, server, g))).toBe(true);
      expect(spans.some((s) => s.service === svc && isPg(s) && servers.some((server) => descends(spans, s, server)))).toBe(true);
    }
    expect(JSON.stringify(spans)).not.toContain(canary);
  });

  it('spans carry service name, version and environment; Redis polling makes no root spans, health and metrics polls none at all', async () => {
    const all = readSpans(spansFile());
    const services = [
      'datafactory-gateway',
      'datafactory-ingest',
      'datafactory-search',
      'datafactory-job-orchestrator',
      'datafactory-governance',
    ];
    expect([...new Set(all.map((s) => s.service))].sort()).toEqual([...services].sort());
    for (const s of all) expect(s).toMatchObject({ version: SERVICE_VERSION, environment: 'e2e' });
    // A Redis command span always has a parent (a request or a job): BullMQ's constant polling is not traced.
    expect(all.filter((s) => isRedis(s) && !s.parentSpanId)).toEqual([]);
    expect(all.filter(isRedis).length).toBeLessThan(all.length / 2);
    // Redis spans record the command only, never keys or payloads.
    for (const s of all.filter(isRedis)) {
      const statement = String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '');
      expect(statement).toMatch(/^[a-z]*$/i);
    }
    expect(
      all.filter((s) => /\/health\/(live|ready)|\/metrics/.test(String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? ''))),
    ).toEqual([]);
  });
});
