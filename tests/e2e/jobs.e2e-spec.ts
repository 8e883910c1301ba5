import { randomUUID } from 'node:crypto';
import { adminToken, call, createTenant, expectError, gatewayUrl, TenantKeys, waitForJob } from './support/api';
import { sql } from './support/db';

interface Job {
  job_id: string;
  type: string;
  status: string;
  progress: number;
  total: number;
  processed: number;
  counts: { created: number; updated: number; unchanged: number; failed: number };
  result: { counts: Job['counts']; failures: Array<{ doc_id: string; code: string; message: string }> } | null;
  error: { code: string; message: string } | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const waitFor = (token: string, jobId: string, timeoutMs?: number) => waitForJob<Job>(token, jobId, timeoutMs);

interface SseEvent {
  id: number;
  event: string;
  data: { id: number; type: string; data: Record<string, unknown> };
}

/** Reads an SSE stream to its end (the server closes it after the terminal event). */
async function readEvents(
  token: string,
  jobId: string,
  lastEventId?: number,
): Promise<{ events: SseEvent[]; heartbeats: number; status: number }> {
  const res = await fetch(`${gatewayUrl()}/v1/jobs/${jobId}/events`, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}) },
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status !== 200) return { events: [], heartbeats: 0, status: res.status };
  const text = await res.text();
  const events: SseEvent[] = [];
  let heartbeats = 0;
  for (const block of text.split('\n\n')) {
    if (block.startsWith(': heartbeat')) heartbeats++;
    const fields = Object.fromEntries(
      block
        .split('\n')
        .filter((l) => /^(id|event|data): /.test(l))
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
    );
    if (fields['data'])
      events.push({ id: Number(fields['id']), event: fields['event'] as string, data: JSON.parse(fields['data'] as string) });
  }
  return { events, heartbeats, status: res.status };
}

const docs = (
  n: number,
  prefix: string,
  text = (i: number) => `Document ${prefix}-${i} about topic ${i % 7}. ` + 'filler words '.repeat(40),
) => Array.from({ length: n }, (_, i) => ({ doc_id: `${prefix}-${i}`, text: text(i), metadata: { i } }));

describe('durable jobs', () => {
  let t: TenantKeys;
  let other: TenantKeys;

  beforeAll(async () => {
    [t, other] = await Promise.all([createTenant(), createTenant()]);
  });

  it('batch upsert: 202 with a job id, then completed with counts and the documents searchable', async () => {
    const accepted = await call<{ job_id: string; status: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'batch', documents: docs(30, 'b') },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ job_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    const job = await waitFor(t.reader, accepted.body.job_id);
    expect(job).toMatchObject({
      type: 'batch_upsert',
      status: 'completed',
      progress: 100,
      total: 30,
      processed: 30,
      counts: { created: 30, updated: 0, unchanged: 0, failed: 0 },
      error: null,
    });
    expect(job.result?.counts).toEqual(job.counts);
    expect(job.started_at && job.finished_at).toBeTruthy();
    const doc = await call('GET', '/v1/docs/b-7?namespace=batch', { token: t.reader });
    expect(doc.status).toBe(200);

    const again = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'batch', documents: docs(30, 'b').map((d, i) => (i < 5 ? { ...d, text: `${d.text} changed` } : d)) },
    });
    const second = await waitFor(t.reader, again.body.job_id);
    expect(second.counts).toEqual({ created: 0, updated: 5, unchanged: 25, failed: 0 });
  });

  it('streams events over SSE: queued, started, progress, completed; Last-Event-ID resumes without gaps', async () => {
    const accepted = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'sse', documents: docs(20, 's') },
    });
    const { events } = await readEvents(t.reader, accepted.body.job_id);
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('queued');
    expect(types).toContain('started');
    expect(types[types.length - 1]).toBe('completed');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.data.data['position']).toEqual(expect.any(Number));

    const resumed = await readEvents(t.reader, accepted.body.job_id, 2);
    expect(resumed.events.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));

    expect((await readEvents(other.reader, accepted.body.job_id)).status).toBe(404);

    // Resuming after the terminal event: nothing more will come, so the stream ends at once.
    const past = await readEvents(t.reader, accepted.body.job_id, events[events.length - 1]!.id);
    expect(past).toMatchObject({ status: 200, events: [] });
  });

  it('lists jobs with filters and a cursor, and isolates tenants', async () => {
    const res = await call<{ items: Job[]; next_cursor: string | null }>('GET', '/v1/jobs?limit=1&status=completed', { token: t.reader });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.next_cursor).toEqual(expect.any(String));
    const page2 = await call<{ items: Job[] }>('GET', `/v1/jobs?limit=1&status=completed&cursor=${res.body.next_cursor}`, {
      token: t.reader,
    });
    expect(page2.body.items[0]!.job_id).not.toBe(res.body.items[0]!.job_id);
    expect((await call<{ items: Job[] }>('GET', '/v1/jobs', { token: other.reader })).body.items).toEqual([]);
    expectError(await call('GET', `/v1/jobs/${res.body.items[0]!.job_id}`, { token: other.reader }), 404, 'job_not_found');
    expectError(await call('GET', '/v1/jobs?status=sleeping', { token: t.reader }), 400, 'invalid_request');
  });

  it("a batch job completes with its namespace served by the namespace's own HNSW index, and search goes through it", async () => {
    const before = await call<{ index: { valid: boolean; serving: string } }>('GET', '/v1/index/stats?namespace=hnsw', { token: t.reader });
    expect(before.body.index).toMatchObject({ valid: false, serving: 'exact' });
    const accepted = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'hnsw', documents: docs(60, 'h') },
    });
    expect((await waitFor(t.reader, accepted.body.job_id)).status).toBe('completed');

    const after = await call<{ chunks: number; index: { name: string; valid: boolean; serving: string; size_bytes: number } }>(
      'GET',
      '/v1/index/stats?namespace=hnsw',
      { token: t.reader },
    );
    expect(after.body.chunks).toBeGreaterThanOrEqual(40);
    expect(after.body.index).toMatchObject({ name: expect.stringMatching(/^chunks_hnsw_[0-9a-f]{24}$/), valid: true, serving: 'hnsw' });
    expect(after.body.index.size_bytes).toBeGreaterThan(0);
    // The index covers this tenant's namespace only: the other tenant's same-named namespace has none.
    const theirs = await call<{ index: { name: string; valid: boolean } }>('GET', '/v1/index/stats?namespace=hnsw', {
      token: other.reader,
    });
    expect(theirs.body.index.name).not.toBe(after.body.index.name);
    expect(theirs.body.index.valid).toBe(false);

    const found = await call<{ results: Array<{ doc_id: string }> }>('POST', '/v1/search', {
      token: t.reader,
      body: { namespace: 'hnsw', query: 'Document h-17 about topic 3.', mode: 'vector', top_k: 3 },
    });
    expect(found.status).toBe(200);
    expect(found.body.results.map((r) => r.doc_id)).toContain('h-17');
    // The search service's backend reports its index scans when it next goes idle (within about 10 s).
    const deadline = Date.now() + 20_000;
    let scans = 0;
    while (scans === 0 && Date.now() < deadline) {
      const [row] = await sql<{ scans: string }>(
        `SELECT coalesce(sum(idx_scan), 0)::text AS scans FROM pg_stat_user_indexes WHERE indexrelname = $1`,
        [after.body.index.name],
      );
      scans = Number(row?.scans ?? 0);
      if (scans === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(scans).toBeGreaterThan(0);
  });

  it('rejects invalid batches: empty, duplicate doc ids, too many documents, bad items; readers cannot submit', async () => {
    const post = (body: unknown, token = t.writer) => call('POST', '/v1/docs/upsert/batch', { token, body });
    expectError(await post({ documents: [] }), 400, 'invalid_request');
    expectError(
      await post({
        documents: [
          { doc_id: 'a', text: 'x' },
          { doc_id: 'a', text: 'y' },
        ],
      }),
      400,
      'invalid_request',
    );
    expectError(await post({ documents: docs(1001, 'big', () => 'x') }), 413, 'batch_too_large');
    const bad = await post({ documents: [{ doc_id: 'a', text: 'x' }, { doc_id: 'b' }] });
    expectError(bad, 400, 'invalid_request');
    expect(JSON.stringify(bad.body)).toContain('documents.1.text');
    expectError(await post({ documents: [{ doc_id: 'a', text: 'x' }] }, t.reader), 403, 'insufficient_role');
  });

  it('cancels a running job within seconds, keeping what it finished', async () => {
    // The largest batch allowed: written a group at a time, a smaller one can finish before the cancel lands.
    const accepted = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'cancel', documents: docs(1000, 'c') },
    });
    const id = accepted.body.job_id;
    for (let i = 0; i < 200; i++) {
      const job = await call<Job>('GET', `/v1/jobs/${id}`, { token: t.reader });
      if (job.body.status === 'running' && job.body.processed > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const cancel = await call<Job>('POST', `/v1/jobs/${id}/cancel`, { token: t.writer });
    expect(cancel.status).toBe(200);
    const job = await waitFor(t.reader, id, 10_000);
    expect(job.status).toBe('cancelled');
    expect(job.processed).toBeGreaterThan(0);
    expect(job.processed).toBeLessThan(1000);
    const stats = await call<{ documents: number }>('GET', '/v1/index/stats?namespace=cancel', { token: t.reader });
    expect(stats.body.documents).toBe(job.counts.created);
    expectError(await call('POST', `/v1/jobs/${id}/cancel`, { token: t.writer }), 409, 'job_not_cancellable');
  });

  it('index rebuild re-chunks and re-embeds a namespace as a job', async () => {
    const batch = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'rebuild', documents: docs(12, 'r') },
    });
    await waitFor(t.reader, batch.body.job_id);
    const accepted = await call<{ job_id: string; status: string }>('POST', '/v1/index/rebuild', {
      token: t.writer,
      body: { namespace: 'rebuild' },
    });
    expect(accepted.status).toBe(202);
    const job = await waitFor(t.reader, accepted.body.job_id);
    expect(job).toMatchObject({ type: 'index_rebuild', status: 'completed', total: 12, processed: 12, counts: { updated: 12 } });
    const search = await call<{ results: unknown[] }>('POST', '/v1/search', {
      token: t.reader,
      body: { namespace: 'rebuild', query: 'topic', top_k: 5 },
    });
    expect(search.body.results).toHaveLength(5);
  });

  it('Idempotency-Key: same key and body → the same job; different body → 422; other tenants unaffected', async () => {
    const key = randomUUID();
    const body = { namespace: 'idem', documents: docs(3, 'i') };
    const first = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body,
      headers: { 'idempotency-key': key },
    });
    const second = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.job_id).toBe(first.body.job_id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await call('POST', '/v1/docs/upsert/batch', {
        token: t.writer,
        body: { ...body, namespace: 'idem2' },
        headers: { 'idempotency-key': key },
      }),
      422,
      'idempotency_key_reused',
    );
    const otherTenant = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: other.writer,
      body,
      headers: { 'idempotency-key': key },
    });
    expect(otherTenant.body.job_id).not.toBe(first.body.job_id);

    // A new API key is shown once and never stored: key issuance ignores Idempotency-Key.
    const keyKey = randomUUID();
    const k1 = await call<{ key_id: string }>('POST', `/v1/admin/tenants/${t.tenantId}/keys`, {
      token: adminToken(),
      body: { role: 'reader' },
      headers: { 'idempotency-key': keyKey },
    });
    const k2 = await call<{ key_id: string }>('POST', `/v1/admin/tenants/${t.tenantId}/keys`, {
      token: adminToken(),
      body: { role: 'reader' },
      headers: { 'idempotency-key': keyKey },
    });
    expect(k1.status).toBe(201);
    expect(k2.body.key_id).not.toBe(k1.body.key_id);

    const upsertKey = randomUUID();
    const u1 = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { doc_id: 'idem-doc', text: 'v1' },
      headers: { 'idempotency-key': upsertKey },
    });
    const u2 = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { doc_id: 'idem-doc', text: 'v1' },
      headers: { 'idempotency-key': upsertKey },
    });
    expect(u1.body).toMatchObject({ status: 'created' });
    expect(u2.body).toEqual(u1.body);
  });

  it('50 concurrent identical requests with one Idempotency-Key create exactly one job', async () => {
    const key = randomUUID();
    const body = { namespace: 'idem-50', documents: docs(5, 'x') };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', { token: t.writer, body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202));
    expect(new Set(responses.map((r) => r.body.job_id)).size).toBe(1);
    const jobs = await call<{ items: Job[] }>('GET', '/v1/jobs?limit=100', { token: t.reader });
    const mine = jobs.body.items.filter((j) => j.job_id === responses[0]!.body.job_id);
    expect(mine).toHaveLength(1);
  });

  it('queue stats: tenant keys see their own jobs, the admin token the whole queue', async () => {
    const mine = await call<{ queues: Array<Record<string, unknown>> }>('GET', '/v1/queue/stats', { token: t.reader });
    expect(mine.status).toBe(200);
    expect(mine.body.queues[0]).toEqual({
      queue: 'ingest',
      waiting: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
      dead_lettered: 0,
      oldest_waiting_age_seconds: null,
    });
    const all = await call<{ queues: Array<Record<string, unknown>> }>('GET', '/v1/queue/stats', { token: adminToken() });
    expect(all.status).toBe(200);
    expect(all.body.queues[0]).toMatchObject({ queue: 'ingest' });
    expect((await call<{ items: unknown[] }>('GET', '/v1/dlq', { token: t.reader })).body.items).toEqual([]);
    expect((await call('GET', '/v1/dlq', { token: adminToken() })).status).toBe(200);
    expectError(await call('POST', `/v1/dlq/${randomUUID()}/replay`, { token: t.writer }), 404, 'dead_letter_not_found');
  });
});
