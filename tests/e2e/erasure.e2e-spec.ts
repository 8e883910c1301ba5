import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { canonicalJson } from '../../libs/service-kit/src/canonical-json';
import { readSpans } from '../../libs/testing/src/otlp-receiver';
import { withDb } from './support/db';
import { call, createTenant, expectError, TenantKeys } from './support/api';

interface Erasure {
  erasure_id: string;
  status: string;
  dry_run: boolean;
  certificate: {
    scope: string;
    dry_run: boolean;
    documents: number;
    target: { subject_hash: string | null };
    stores: Array<{ store: string; before: number; after: number; removed: number }>;
    verification: Array<{ check: string; query: string; result: number }>;
    signature: { alg: string; value: string };
  } | null;
}

/** Every row of every table in the database whose text form contains `needle`, as "table.column" hits. */
async function scanPostgres(needle: string): Promise<string[]> {
  return withDb(async (c) => {
    const columns = await c.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'tsvector')`,
    );
    const hits: string[] = [];
    for (const col of columns.rows) {
      const res = await c.query(`SELECT count(*)::int AS n FROM "${col.table_name}" WHERE "${col.column_name}"::text ILIKE $1`, [
        `%${needle}%`,
      ]);
      if (res.rows[0].n > 0) hits.push(`${col.table_name}.${col.column_name}`);
    }
    return hits;
  });
}

/** Every Redis key of the stack (its queue prefix) whose name or value contains `needle`. */
async function scanRedis(needle: string): Promise<string[]> {
  const redis = new Redis(process.env['E2E_REDIS_URL'] as string);
  const hits: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env['E2E_QUEUE_PREFIX']}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        let value: unknown;
        if (type === 'string') value = await redis.get(key);
        else if (type === 'hash') value = await redis.hgetall(key);
        else if (type === 'list') value = await redis.lrange(key, 0, -1);
        else if (type === 'set') value = await redis.smembers(key);
        else if (type === 'zset') value = await redis.zrange(key, '0', '-1');
        else if (type === 'stream') value = await redis.xrange(key, '-', '+');
        if (`${key} ${JSON.stringify(value)}`.includes(needle)) hits.push(key);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return hits;
}

function scanLogs(needle: string): string[] {
  const dir = process.env['E2E_LOG_DIR'] as string;
  return readdirSync(dir).filter((f) => readFileSync(join(dir, f), 'utf8').includes(needle));
}

async function waitErasure(token: string, id: string): Promise<Erasure> {
  for (let i = 0; i < 300; i++) {
    const res = await call<Erasure>('GET', `/v1/governance/erasures/${id}`, { token });
    expect(res.status).toBe(200);
    if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`erasure ${id} did not finish`);
}

function verifySignature(certificate: NonNullable<Erasure['certificate']>): boolean {
  const { signature, ...body } = certificate;
  const expected = createHmac('sha256', process.env['E2E_GOVERNANCE_SIGNING_KEY'] as string)
    .update(canonicalJson(body))
    .digest('hex');
  return signature.alg === 'HMAC-SHA256' && signature.value === expected;
}

describe('GDPR erasure', () => {
  let t: TenantKeys;
  const canary = `CANARY${randomUUID().replace(/-/g, '')}`;
  const subject = `subject-${randomUUID()}`;

  beforeAll(async () => {
    t = await createTenant();
    const upsert = (namespace: string, doc_id: string, text: string, extra: Record<string, unknown> = {}) =>
      call('POST', '/v1/docs/upsert', {
        token: t.writer,
        body: { namespace, doc_id, text, ...extra },
        headers: { 'idempotency-key': randomUUID() },
      });
    expect((await upsert('hr', 's1', `Performance review of ${canary}: exceeds expectations.`, { subject_ids: [subject] })).status).toBe(
      200,
    );
    expect(
      (await upsert('hr', 's2', 'Salary band 4 confirmed.', { subject_ids: [subject, 'someone-else'], title: `Payroll ${canary}` })).status,
    ).toBe(200);
    expect((await upsert('wiki', 'n1', 'Company holidays are listed on the intranet.')).status).toBe(200);
    const batch = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'tickets', documents: [{ doc_id: 's3', text: `Ticket opened by ${canary}`, subject_ids: [subject] }] },
    });
    for (let i = 0; i < 200; i++) {
      const job = await call<{ status: string }>('GET', `/v1/jobs/${batch.body.job_id}`, { token: t.reader });
      if (job.body.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await scanPostgres(canary)).not.toEqual([]);
  });

  it('validates requests and is for tenant admin keys only', async () => {
    expectError(await call('POST', '/v1/governance/erase', { token: t.admin, body: { scope: 'subject' } }), 400, 'invalid_request');
    expectError(
      await call('POST', '/v1/governance/erase', { token: t.admin, body: { scope: 'document', namespace: 'hr' } }),
      400,
      'invalid_request',
    );
    expectError(await call('POST', '/v1/governance/erase', { token: t.admin, body: { scope: 'everything' } }), 400, 'invalid_request');
    expectError(
      await call('POST', '/v1/governance/erase', { token: t.writer, body: { scope: 'subject', subject_id: subject } }),
      403,
      'insufficient_role',
    );
    expectError(await call('GET', `/v1/governance/erasures/${randomUUID()}`, { token: t.admin }), 404, 'erasure_not_found');
  });

  it('governance has the outbox relay publish the erasure job at once (the relay polls only every 60 s here)', async () => {
    const accepted = await call<{ erasure_id: string; job_id: string }>('POST', '/v1/governance/erase', {
      token: t.admin,
      body: { scope: 'namespace', namespace: 'nothing-here', dry_run: true },
    });
    expect(accepted.status).toBe(202);
    expect((await waitErasure(t.admin, accepted.body.erasure_id)).status).toBe('completed');
    const [row] = await withDb(
      async (c) =>
        (
          await c.query<{ waited: number }>(
            `SELECT extract(epoch FROM started_at - created_at)::float8 AS waited FROM jobs WHERE id = $1`,
            [accepted.body.job_id],
          )
        ).rows,
    );
    expect(row!.waited).toBeLessThan(2);
  });

  it('a dry run reports what would be erased and erases nothing', async () => {
    const accepted = await call<{ erasure_id: string; job_id: string }>('POST', '/v1/governance/erase', {
      token: t.admin,
      body: { scope: 'subject', subject_id: subject, dry_run: true },
    });
    expect(accepted.status).toBe(202);
    const erasure = await waitErasure(t.admin, accepted.body.erasure_id);
    expect(erasure).toMatchObject({ status: 'completed', dry_run: true });
    expect(erasure.certificate).toMatchObject({ dry_run: true, documents: 3 });
    const docs = erasure.certificate!.stores.find((s) => s.store === 'postgres.documents')!;
    expect(docs).toEqual({ store: 'postgres.documents', before: 3, after: 3, removed: 0 });
    expect(verifySignature(erasure.certificate!)).toBe(true);
    expect((await call('GET', '/v1/docs/s1?namespace=hr', { token: t.reader })).status).toBe(200);
  });

  it('erasing a subject removes its documents everywhere — Postgres, Redis, logs — with a signed certificate', async () => {
    const accepted = await call<{ erasure_id: string; job_id: string }>('POST', '/v1/governance/erase', {
      token: t.admin,
      body: { scope: 'subject', subject_id: subject },
    });
    expect(accepted.status).toBe(202);
    const erasure = await waitErasure(t.admin, accepted.body.erasure_id);
    expect(erasure.status).toBe('completed');
    const cert = erasure.certificate!;
    expect(cert).toMatchObject({ scope: 'subject', dry_run: false, documents: 3 });
    expect(cert.target.subject_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(cert.stores.find((s) => s.store === 'postgres.documents')).toEqual({
      store: 'postgres.documents',
      before: 3,
      after: 0,
      removed: 3,
    });
    expect(cert.stores.find((s) => s.store === 'postgres.chunks')?.removed).toBeGreaterThanOrEqual(3);
    expect(cert.verification.length).toBeGreaterThanOrEqual(5);
    cert.verification.forEach((v) => expect(v.result).toBe(0));
    expect(verifySignature(cert)).toBe(true);
    expect(verifySignature({ ...cert, documents: 2 })).toBe(false);

    for (const [ns, id] of [
      ['hr', 's1'],
      ['hr', 's2'],
      ['tickets', 's3'],
    ]) {
      expectError(await call('GET', `/v1/docs/${id}?namespace=${ns}`, { token: t.reader }), 404, 'document_not_found');
    }
    for (const mode of ['hybrid', 'keyword', 'vector']) {
      for (const ns of ['hr', 'tickets']) {
        const res = await call<{ results: Array<{ text: string }> }>('POST', '/v1/search', {
          token: t.reader,
          body: { namespace: ns, query: `${canary} review ticket payroll`, mode },
        });
        expect(JSON.stringify(res.body)).not.toContain(canary);
      }
    }
    expect((await call('GET', '/v1/docs/n1?namespace=wiki', { token: t.reader })).status).toBe(200);

    expect(await scanPostgres(canary)).toEqual([]);
    expect(await scanPostgres(subject)).toEqual([]);
    expect(await scanRedis(canary)).toEqual([]);
    expect(await scanRedis(subject)).toEqual([]);
    expect(scanLogs(canary)).toEqual([]);
    // Nor did any span exported by the traced stack ever hold the text or the subject id.
    const spans = JSON.stringify(readSpans(process.env['E2E_SPANS_FILE'] as string));
    expect(spans).not.toContain(canary);
    expect(spans).not.toContain(subject);

    const audit = await call<{ items: Array<{ action: string; target: string; details: Record<string, unknown> }> }>('GET', '/v1/audit', {
      token: t.admin,
    });
    const complete = audit.body.items.filter((e) => e.action === 'erasure.complete' && e.target === accepted.body.erasure_id);
    expect(complete).toHaveLength(1);
    expect(complete[0]!.details).toMatchObject({
      scope: 'subject',
      subject_hash: cert.target.subject_hash,
      documents: 3,
      certificate_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(audit.body.items.some((e) => e.action === 'erasure.request' && e.target === accepted.body.erasure_id)).toBe(true);
  });

  it('erasing a namespace drops its HNSW index (whose definition names the tenant and the namespace)', async () => {
    const documents = Array.from({ length: 50 }, (_, i) => ({
      doc_id: `x-${i}`,
      text: `Indexed document ${i}. ` + 'words to embed '.repeat(20),
    }));
    const batch = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'indexed', documents },
    });
    expect(batch.status).toBe(202);
    for (let i = 0; i < 300; i++) {
      const stats = await call<{ index: { valid: boolean } }>('GET', '/v1/index/stats?namespace=indexed', { token: t.reader });
      if (stats.body.index.valid) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const ns = await call<{ erasure_id: string }>('POST', '/v1/governance/erase', {
      token: t.admin,
      body: { scope: 'namespace', namespace: 'indexed' },
    });
    const cert = (await waitErasure(t.admin, ns.body.erasure_id)).certificate!;
    expect(cert.stores.find((s) => s.store === 'postgres.vector_indexes')).toEqual({
      store: 'postgres.vector_indexes',
      before: 1,
      after: 0,
      removed: 1,
    });
    const left = await withDb(
      async (c) => (await c.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'chunks' AND indexdef LIKE '%/indexed''%'`)).rows,
    );
    expect(left).toEqual([]);
    const stats = await call<{ index: { valid: boolean } }>('GET', '/v1/index/stats?namespace=indexed', { token: t.reader });
    expect(stats.body.index.valid).toBe(false);
  });

  it('erases a single document and a whole namespace', async () => {
    await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'misc', doc_id: 'd1', text: 'to be erased' } });
    await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'misc', doc_id: 'd2', text: 'stays until the namespace goes' },
    });
    const one = await call<{ erasure_id: string }>('POST', '/v1/governance/erase', {
      token: t.admin,
      body: { scope: 'document', namespace: 'misc', doc_id: 'd1' },
    });
    expect((await waitErasure(t.admin, one.body.erasure_id)).certificate?.documents).toBe(1);
    expectError(await call('GET', '/v1/docs/d1?namespace=misc', { token: t.reader }), 404, 'document_not_found');
    expect((await call('GET', '/v1/docs/d2?namespace=misc', { token: t.reader })).status).toBe(200);
    const ns = await call<{ erasure_id: string }>('POST', '/v1/governance/erase', {
      token: t.admin,
      body: { scope: 'namespace', namespace: 'misc' },
    });
    expect((await waitErasure(t.admin, ns.body.erasure_id)).certificate?.documents).toBe(1);
    expect((await call<{ items: unknown[] }>('GET', '/v1/docs?namespace=misc', { token: t.reader })).body.items).toEqual([]);
    // Writes after the erasure are accepted again: the tombstone only stops writes accepted before it.
    expect(
      (await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'misc', doc_id: 'd3', text: 'new data' } })).status,
    ).toBe(200);
  });
});
