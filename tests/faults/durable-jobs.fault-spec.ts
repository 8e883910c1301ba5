/**
 * Crash and outage scenarios for durable jobs, against the five services as real processes with their own
 * PostgreSQL cluster and redis-server on spare ports (so stopping them disturbs no other test), and a local
 * OpenAI-compatible embeddings server that adds latency (so a batch is still running when the fault hits)
 * and misbehaves on marked documents. Every scenario asserts: the job reaches its end state, every
 * document is present exactly once, no chunk is duplicated and no half-written document is ever visible.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { FakeOpenAiServer, startFakeOpenAiServer } from '../../libs/embedding/src/testing';
import {
  LocalPostgres,
  LocalRedis,
  RunningStack,
  createTestDatabase,
  restartService,
  signalPid,
  signalService,
  startExtraInstance,
  startStack,
  stopStack,
} from '../../libs/testing/src';
import { ScenarioReport, writeFaultReport } from './fault-report';

interface Job {
  job_id: string;
  status: string;
  processed: number;
  total: number;
  attempts: number;
  counts: { created: number; updated: number; unchanged: number; failed: number };
  result: { failures: Array<{ doc_id: string; code: string }> } | null;
  error: { code: string; message: string } | null;
}

const TERMINAL = ['completed', 'failed', 'cancelled', 'dead_lettered'];
// Per text, not per request: the worker embeds a whole write group in one request, and the scenarios need a batch
// to take seconds (a kill lands mid-batch, a busy job holds the single worker while an erasure is submitted).
const EMBEDDING_LATENCY_MS_PER_TEXT = 12;

let pg: LocalPostgres;
let redis: LocalRedis;
let fake: FakeOpenAiServer;
let stack: RunningStack;
let databaseUrl: string;
let tenantId: string;
let writer: string;
const report: ScenarioReport[] = [];

async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${writer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function batch(
  prefix: string,
  n: number,
  text: (i: number) => string = (i) => `Document ${prefix} ${i}. ` + 'resilient systems survive crashes. '.repeat(20),
) {
  return Array.from({ length: n }, (_, i) => ({ doc_id: `${prefix}-${i}`, text: text(i), metadata: { i } }));
}

async function submit(namespace: string, documents: Array<{ doc_id: string; text: string }>): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const res = await api<{ job_id: string }>('POST', '/v1/docs/upsert/batch', { namespace, documents });
    if (res.status === 202) return res.body.job_id;
    if (attempt > 50) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(200);
  }
}

/** Job state straight from Postgres (the API may be the thing that is down). */
async function jobRow(jobId: string): Promise<Job | null> {
  try {
    const rows = await sql<{
      id: string;
      status: string;
      processed: number;
      total: number;
      attempts: number;
      counts: Job['counts'];
      result: Job['result'];
      error: Job['error'];
    }>(`SELECT id, status, processed, total, attempts, counts, result, error FROM jobs WHERE id = $1`, [jobId]);
    const r = rows[0];
    return r
      ? {
          job_id: r.id,
          status: r.status,
          processed: r.processed,
          total: r.total,
          attempts: r.attempts,
          counts: r.counts,
          result: r.result,
          error: r.error,
        }
      : null;
  } catch {
    return null; // Postgres is down in this moment
  }
}

async function waitFor(jobId: string, predicate: (job: Job) => boolean, timeoutMs: number, what: string): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobRow(jobId);
    if (job && predicate(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId}: ${what} not reached within ${timeoutMs} ms (last: ${JSON.stringify(job)})`);
    await sleep(50);
  }
}

const waitEnd = (jobId: string, timeoutMs = 120_000) => waitFor(jobId, (j) => TERMINAL.includes(j.status), timeoutMs, 'an end state');
const waitProcessed = (jobId: string, n: number) =>
  waitFor(jobId, (j) => j.status === 'running' && j.processed >= n, 60_000, `${n} processed documents`);

interface SseRead {
  events: Array<{ id: number; type: string; data: Record<string, unknown> }>;
  heartbeats: number;
}

/** Reads a job's SSE stream until the server closes it after the terminal event. */
async function readEvents(jobId: string): Promise<SseRead> {
  const res = await fetch(`${stack.gatewayUrl}/v1/jobs/${jobId}/events`, {
    headers: { authorization: `Bearer ${writer}` },
    signal: AbortSignal.timeout(120_000),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  const read: SseRead = { events: [], heartbeats: 0 };
  for (const block of text.split('\n\n')) {
    if (block.startsWith(': heartbeat')) read.heartbeats++;
    const data = block.split('\n').find((l) => l.startsWith('data: '));
    if (data) read.events.push(JSON.parse(data.slice(6)) as SseRead['events'][number]);
  }
  return read;
}

/** Documents visible with fewer or more chunk rows than they claim: must never exist (one snapshot). */
async function halfWritten(namespace: string): Promise<number> {
  const rows = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM documents d
      WHERE d.tenant_id = $1 AND d.namespace = $2 AND d.status = 'active'
        AND d.chunk_count <> (SELECT count(*) FROM chunks c WHERE c.document_id = d.id AND c.deleted_at IS NULL)`,
    [tenantId, namespace],
  );
  return rows[0]?.n ?? 0;
}

/** Watches for half-written documents while a fault plays out; tolerates Postgres being down. */
function watchConsistency(namespace: string): { stop: () => Promise<number> } {
  let running = true;
  let violations = 0;
  const loop = (async () => {
    while (running) {
      violations += await halfWritten(namespace).catch(() => 0);
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return violations;
    },
  };
}

async function audit(
  scenario: string,
  namespace: string,
  docIds: string[],
  job: Job,
  recoverMs: number | null,
  notes?: string,
): Promise<ScenarioReport> {
  const present = await sql<{ doc_id: string; n: number }>(
    `SELECT doc_id, count(*)::int AS n FROM documents WHERE tenant_id = $1 AND namespace = $2 AND status = 'active' GROUP BY doc_id`,
    [tenantId, namespace],
  );
  const seen = new Set(present.map((p) => p.doc_id));
  const duplicateChunks = await sql<{ n: number }>(
    `SELECT (count(*) - count(DISTINCT (c.document_id, c.ordinal)))::int
            + (SELECT count(*)::int FROM documents d WHERE d.tenant_id = $1 AND d.namespace = $2 AND d.status = 'active'
                 AND d.chunk_count <> (SELECT count(*) FROM chunks x WHERE x.document_id = d.id)) AS n
       FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.tenant_id = $1 AND d.namespace = $2`,
    [tenantId, namespace],
  );
  const row: ScenarioReport = {
    scenario,
    submitted: docIds.length,
    completed: job.status === 'completed' ? job.processed : 0,
    lost: docIds.filter((d) => !seen.has(d)).length,
    duplicate_documents: present.reduce((sum, p) => sum + p.n - 1, 0),
    duplicate_chunks: duplicateChunks[0]?.n ?? 0,
    time_to_recover_ms: recoverMs,
    ...(notes ? { notes } : {}),
  };
  report.push(row);
  return row;
}

function expectClean(row: ScenarioReport, job: Job): void {
  expect(job.status).toBe('completed');
  expect(row).toMatchObject({ lost: 0, duplicate_documents: 0, duplicate_chunks: 0, completed: row.submitted });
  // Each document was written by exactly one attempt: a rerun would have counted it as unchanged.
  expect(job.counts).toEqual({ created: row.submitted, updated: 0, unchanged: 0, failed: 0 });
}

beforeAll(async () => {
  [pg, redis] = await Promise.all([LocalPostgres.create(), LocalRedis.create()]);
  fake = await startFakeOpenAiServer({
    defaultDimensions: 64,
    handler: async (req, _call, defaultReply) => {
      const texts = (req.body as { input?: unknown }).input;
      await sleep(EMBEDDING_LATENCY_MS_PER_TEXT * (Array.isArray(texts) ? Math.max(1, texts.length) : 1));
      const input = JSON.stringify(texts ?? '');
      if (input.includes('POISON-PILL')) return { status: 500, json: { error: { message: 'model crashed on this input' } } };
      if (input.includes('REJECT-ME')) return { status: 400, json: { error: { message: 'input is too long for this model' } } };
      return defaultReply();
    },
  });
  databaseUrl = await createTestDatabase('df_faults', pg.url);
  stack = await startStack({
    databaseUrl,
    redisUrl: redis.url,
    env: {
      EMBEDDING_PROVIDER: 'openai',
      EMBEDDING_BASE_URL: fake.baseUrl,
      EMBEDDING_MODEL: 'fake-embed',
      EMBEDDING_DIMENSIONS: '64',
      EMBEDDING_MAX_RETRIES: '1',
      EMBEDDING_TIMEOUT_MS: '2000',
      WORKER_CONCURRENCY: '1',
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      RETRY_BASE_MS: '500',
      RETRY_FACTOR: '2',
      RECONCILE_INTERVAL_MS: '1000',
      RECONCILE_IDLE_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '5000',
      DB_POOL_SIZE: '5',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2000',
      SSE_HEARTBEAT_MS: '500',
      LOG_LEVEL: 'debug',
      RETENTION_SWEEP_INTERVAL_MS: '1500',
    },
  });
  const admin = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
  const tenant = (await (
    await fetch(`${stack.gatewayUrl}/v1/admin/tenants`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'faults' }) })
  ).json()) as { tenant_id: string };
  tenantId = tenant.tenant_id;
  const key = (await (
    await fetch(`${stack.gatewayUrl}/v1/admin/tenants/${tenantId}/keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ role: 'writer' }),
    })
  ).json()) as { api_key: string };
  writer = key.api_key;
}, 120_000);

afterAll(async () => {
  writeFaultReport(report);
  if (stack) {
    // Crashes, retries and dead letters were logged at debug level: none of it may carry document text.
    for (const file of readdirSync(stack.logDir)) {
      const log = readFileSync(join(stack.logDir, file), 'utf8');
      expect({
        file,
        leaks: ['resilient systems survive crashes', 'POISON-PILL', 'REJECT-ME'].filter((text) => log.includes(text)),
      }).toEqual({ file, leaks: [] });
    }
  }
  if (stack) await stopStack(stack);
  await fake?.close();
  await redis?.destroy();
  pg?.destroy();
}, 60_000);

describe('durable jobs under faults', () => {
  it('kill -9 of the ingest worker mid-batch: the job completes after a restart, every document once', async () => {
    const docs = batch('kill-worker', 300);
    const jobId = await submit('kill-worker', docs);
    await waitProcessed(jobId, 30);
    await signalService(stack, 'ingest', 'SIGKILL');
    const t0 = Date.now();
    await restartService(stack, 'ingest');
    const job = await waitEnd(jobId);
    const row = await audit(
      'kill -9 ingest worker',
      'kill-worker',
      docs.map((d) => d.doc_id),
      job,
      Date.now() - t0,
    );
    expectClean(row, job);
  });

  it('kill -9 of the API after it committed a batch but before it was enqueued: the job still runs', async () => {
    await restartService(stack, 'job-orchestrator', { OUTBOX_RELAY_ENABLED: 'false' });
    const docs = batch('kill-api', 60);
    const jobId = await submit('kill-api', docs);
    await sleep(1_000);
    const unpublished = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1 AND published_at IS NULL`, [
      jobId,
    ]);
    expect(unpublished[0]?.n).toBe(1);
    expect((await jobRow(jobId))?.status).toBe('queued');
    await signalService(stack, 'job-orchestrator', 'SIGKILL');
    const t0 = Date.now();
    await restartService(stack, 'job-orchestrator');
    const job = await waitEnd(jobId);
    const row = await audit(
      'kill -9 API after commit, before enqueue',
      'kill-api',
      docs.map((d) => d.doc_id),
      job,
      Date.now() - t0,
    );
    expectClean(row, job);
  });

  it.each([
    ['restart Redis mid-batch (data kept)', false],
    ['restart Redis mid-batch with its data wiped', true],
  ])('%s: the job completes and a queued job is not lost', async (scenario, wipe) => {
    const ns = wipe ? 'redis-wiped' : 'redis-restart';
    const docs = batch(ns, 300);
    const queuedDocs = batch(`${ns}-queued`, 20);
    const jobId = await submit(ns, docs);
    await waitProcessed(jobId, 30);
    const queuedJobId = await submit(`${ns}-queued`, queuedDocs); // waits behind the first (concurrency 1)
    await sleep(300);
    const t0 = Date.now();
    await redis.restart({ wipe });
    const job = await waitEnd(jobId);
    const queuedJob = await waitEnd(queuedJobId);
    const recover = Date.now() - t0;
    const row = await audit(
      scenario,
      ns,
      docs.map((d) => d.doc_id),
      job,
      recover,
    );
    expectClean(row, job);
    const queuedRow = await audit(
      `${scenario} (job queued at the time)`,
      `${ns}-queued`,
      queuedDocs.map((d) => d.doc_id),
      queuedJob,
      recover,
    );
    expectClean(queuedRow, queuedJob);
  });

  it('while Redis is down new jobs are refused with 503 queue_unavailable; readiness requires noeviction', async () => {
    await redis.kill();
    try {
      const res = await api<{ error: { code: string; message: string } }>('POST', '/v1/docs/upsert/batch', {
        namespace: 'redis-down',
        documents: batch('down', 1),
      });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'queue_unavailable', message: expect.stringContaining('Redis') });
    } finally {
      await redis.restart({ wipe: false });
    }
    const client = new (await import('ioredis')).Redis(redis.url);
    try {
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      // The services' Redis clients reconnect within a couple of seconds of the restart.
      let health: { status: string; checks: Record<string, { status: string; message?: string }> } | undefined;
      for (let i = 0; i < 100 && !health?.checks['redis']?.message?.includes('maxmemory-policy'); i++) {
        if (health) await sleep(100);
        health = (await (await fetch(`${stack.gatewayUrl}/v1/health`)).json()) as typeof health;
      }
      expect(health?.status).toBe('unavailable');
      expect(health?.checks['redis']?.message).toContain('must be "noeviction"');
    } finally {
      await client.config('SET', 'maxmemory-policy', 'noeviction');
      client.disconnect();
    }
    const jobId = await submit('redis-down', batch('down', 5));
    expect((await waitEnd(jobId)).status).toBe('completed');
  });

  it('SIGTERM on a worker mid-batch hands the job back; another start finishes it exactly once', async () => {
    const docs = batch('sigterm', 300);
    const jobId = await submit('sigterm', docs);
    await waitProcessed(jobId, 30);
    await signalService(stack, 'ingest', 'SIGTERM');
    const handedBack = await sql<{ data: { reason?: string } }>(
      `SELECT data FROM job_events WHERE job_id = $1 AND type = 'queued' ORDER BY seq DESC LIMIT 1`,
      [jobId],
    );
    expect(handedBack[0]?.data.reason).toContain('handed back');
    const t0 = Date.now();
    await restartService(stack, 'ingest');
    const job = await waitEnd(jobId);
    const row = await audit(
      'SIGTERM worker mid-batch (hand back)',
      'sigterm',
      docs.map((d) => d.doc_id),
      job,
      Date.now() - t0,
    );
    expectClean(row, job);
  });

  it('stop Postgres (immediate) mid-batch and start it again: the job completes; no half-written document is ever visible', async () => {
    const docs = batch('pg-stop', 300);
    const jobId = await submit('pg-stop', docs);
    await waitProcessed(jobId, 30);
    const watch = watchConsistency('pg-stop');
    pg.stop('immediate');
    await sleep(2_000);
    await pg.start();
    const t0 = Date.now();
    const job = await waitEnd(jobId);
    const violations = await watch.stop();
    const row = await audit(
      'stop Postgres (immediate) mid-batch',
      'pg-stop',
      docs.map((d) => d.doc_id),
      job,
      Date.now() - t0,
      `half-written observations: ${violations}`,
    );
    expect(violations).toBe(0);
    expect(await halfWritten('pg-stop')).toBe(0);
    expectClean(row, job);
  });

  it('SIGSTOP a worker past its lock, then SIGCONT: the job finishes once, with no duplicate results', async () => {
    const docs = batch('sigstop', 300);
    const jobId = await submit('sigstop', docs);
    await waitProcessed(jobId, 30);
    await signalService(stack, 'ingest', 'SIGSTOP');
    const t0 = Date.now();
    const second = await startExtraInstance(stack, 'ingest', 'ingest-2');
    let job: Job;
    try {
      job = await waitEnd(jobId);
    } finally {
      await signalService(stack, 'ingest', 'SIGCONT');
    }
    const recover = Date.now() - t0;
    // Give the resumed worker time to try (and fail) to write with its lost lease.
    await sleep(3_000);
    const after = (await jobRow(jobId)) as Job;
    expect(after.status).toBe('completed');
    expect(after.counts).toEqual(job.counts);
    const completions = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM job_events WHERE job_id = $1 AND type = 'completed'`, [
      jobId,
    ]);
    expect(completions[0]?.n).toBe(1);
    const row = await audit(
      'SIGSTOP worker past its lock, then SIGCONT',
      'sigstop',
      docs.map((d) => d.doc_id),
      after,
      recover,
    );
    expectClean(row, after);
    await signalPid(second, 'SIGTERM');
  });

  it('a poison document is dead-lettered after its retries while other jobs keep flowing; a rejected document fails alone', async () => {
    const poisonDocs = [
      ...batch('poison', 2),
      { doc_id: 'poison-pill', text: 'this one contains POISON-PILL and always breaks the model' },
    ];
    const poisonJob = await submit('poison', poisonDocs);
    const stream = readEvents(poisonJob);
    const others = await Promise.all([0, 1, 2].map((i) => submit(`flowing-${i}`, batch(`flowing-${i}`, 15))));
    const rejectJob = await submit('reject', [...batch('reject', 3), { doc_id: 'too-long', text: 'REJECT-ME please' }]);

    for (const [i, id] of others.entries()) {
      const job = await waitEnd(id);
      const row = await audit(
        `other jobs flowing during the poison job (${i + 1}/3)`,
        `flowing-${i}`,
        batch(`flowing-${i}`, 15).map((d) => d.doc_id),
        job,
        null,
      );
      expectClean(row, job);
    }

    const dead = await waitEnd(poisonJob, 90_000);
    expect(dead.status).toBe('dead_lettered');
    expect(dead.attempts).toBeGreaterThanOrEqual(5);
    expect(dead.error).toMatchObject({ code: 'embedding_failed' });
    const events = await sql<{ type: string; data: { delay_ms?: number; attempt?: number } }>(
      `SELECT type, data FROM job_events WHERE job_id = $1 ORDER BY seq`,
      [poisonJob],
    );
    const retries = events.filter((e) => e.type === 'retrying');
    expect(retries).toHaveLength(4);
    // 500 ms × 2^(n-1) ± 20 % jitter
    retries.forEach((e, i) => {
      expect(e.data.delay_ms).toBeGreaterThanOrEqual(0.8 * 500 * 2 ** i);
      expect(e.data.delay_ms).toBeLessThanOrEqual(1.2 * 500 * 2 ** i);
    });
    expect(events[events.length - 1]?.type).toBe('dead_lettered');

    // The live stream saw the same history: queued with a position, retrying with attempt and delay, heartbeats while
    // waiting out the backoff, one terminal event, contiguous ids.
    const live = await stream;
    expect(live.events.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(live.events.map((e) => e.id)).toEqual(live.events.map((_, i) => i + 1));
    expect(live.events[0]?.data).toMatchObject({ position: expect.any(Number) });
    expect(live.events.filter((e) => e.type === 'retrying')[0]?.data).toMatchObject({
      attempt: 1,
      next_attempt: 2,
      delay_ms: expect.any(Number),
    });
    expect(live.heartbeats).toBeGreaterThan(0);
    const dlq = await api<{ items: Array<{ job_id: string; error: { code: string; class?: string }; attempts: number }> }>(
      'GET',
      '/v1/dlq',
    );
    expect(dlq.body.items.find((d) => d.job_id === poisonJob)).toMatchObject({
      error: { code: 'embedding_failed', class: 'embedding_failed' },
      attempts: 5,
    });
    // A replay runs it again with a fresh set of attempts (and, still poisoned, dead-letters it again).
    const replay = await api<{ status: string }>('POST', `/v1/dlq/${poisonJob}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.status).toBe('queued');
    expect((await api<{ items: Array<{ job_id: string }> }>('GET', '/v1/dlq')).body.items.map((d) => d.job_id)).not.toContain(poisonJob);
    const again = await waitFor(poisonJob, (j) => j.status === 'dead_lettered' && j.attempts >= 10, 90_000, 'a second dead letter');
    expect(again.counts.created).toBe(2);
    report.push({
      scenario: 'poison document → dead letter',
      submitted: poisonDocs.length,
      completed: 0,
      lost: 0,
      duplicate_documents: 0,
      duplicate_chunks: 0,
      time_to_recover_ms: null,
      notes: `dead_lettered after ${dead.attempts} attempts`,
    });

    const rejected = await waitEnd(rejectJob);
    expect(rejected.status).toBe('completed');
    expect(rejected.counts).toEqual({ created: 3, updated: 0, unchanged: 0, failed: 1 });
    expect(rejected.result?.failures).toEqual([expect.objectContaining({ doc_id: 'too-long', code: 'embedding_rejected' })]);
  });

  it('50 concurrent identical requests with one Idempotency-Key create exactly one job', async () => {
    const key = randomUUID();
    const docs = batch('idem', 10);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api<{ job_id: string }>('POST', '/v1/docs/upsert/batch', { namespace: 'idem', documents: docs }, { 'idempotency-key': key }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202));
    const ids = new Set(responses.map((r) => r.body.job_id));
    expect(ids.size).toBe(1);
    const jobs = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE tenant_id = $1 AND namespace = 'idem'`, [tenantId]);
    expect(jobs[0]?.n).toBe(1);
    const job = await waitEnd([...ids][0] as string);
    // The queue message carries ids, never document text.
    const client = new (await import('ioredis')).Redis(redis.url);
    try {
      const data = await client.hget(`${stack.env['QUEUE_PREFIX']}:ingest:${job.job_id}.g0`, 'data');
      expect(Object.keys(JSON.parse(data as string)).sort()).toEqual(['generation', 'jobId', 'tenantId', 'traceparent', 'type']);
      expect(data).not.toContain('resilient systems');
    } finally {
      client.disconnect();
    }
    const row = await audit(
      '50 concurrent requests, one Idempotency-Key',
      'idem',
      docs.map((d) => d.doc_id),
      job,
      null,
      `${ids.size} job(s) created`,
    );
    expectClean(row, job);
  });

  it("two orchestrators schedule each tenant's retention sweep once per window", async () => {
    const second = await startExtraInstance(stack, 'job-orchestrator', 'job-orchestrator-2');
    try {
      await sleep(4_000);
    } finally {
      await signalPid(second, 'SIGTERM');
    }
    const rows = await sql<{ idempotency_key: string; n: number }>(
      `SELECT idempotency_key, count(*)::int AS n FROM jobs WHERE tenant_id = $1 AND type = 'retention_sweep' GROUP BY idempotency_key`,
      [tenantId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    rows.forEach((r) => expect(r.n).toBe(1));
    const ended = await sql<{ status: string }>(
      `SELECT DISTINCT status FROM jobs WHERE tenant_id = $1 AND type = 'retention_sweep' AND status IN ('failed', 'dead_lettered')`,
      [tenantId],
    );
    expect(ended).toEqual([]);
  });

  it('an erasure covers a batch still waiting to run: its document fails as document_erased and its text is gone', async () => {
    const admin = { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' };
    const key = (await (
      await fetch(`${stack.gatewayUrl}/v1/admin/tenants/${tenantId}/keys`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ role: 'admin' }),
      })
    ).json()) as { api_key: string };
    const subject = `person-${randomUUID()}`;
    const busy = await submit('erase-busy', batch('erase-busy', 200)); // occupies the single worker
    await waitProcessed(busy, 5);
    // More than INTERACTIVE_BATCH_MAX documents: batch priority, so the (interactive) erasure job runs first.
    const waiting = await submit('erase-waiting', [
      ...batch('erase-other', 11),
      { doc_id: 'about-them', text: 'ERASE-CANARY notes about the person', subject_ids: [subject] } as { doc_id: string; text: string },
    ]);
    const res = await fetch(`${stack.gatewayUrl}/v1/governance/erase`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'subject', subject_id: subject }),
    });
    expect(res.status).toBe(202);
    const { job_id: erasureJob } = (await res.json()) as { job_id: string };
    await waitEnd(erasureJob);
    expect(await sql(`SELECT 1 FROM job_items WHERE body::text LIKE '%ERASE-CANARY%'`)).toEqual([]);
    const job = await waitEnd(waiting);
    expect(job.status).toBe('completed');
    expect(job.counts).toMatchObject({ created: 11, failed: 1 });
    expect(job.result?.failures).toEqual([expect.objectContaining({ doc_id: 'about-them', code: 'document_erased' })]);
    expect(await sql(`SELECT 1 FROM documents WHERE text LIKE '%ERASE-CANARY%'`)).toEqual([]);
    await waitEnd(busy);
  });
});
