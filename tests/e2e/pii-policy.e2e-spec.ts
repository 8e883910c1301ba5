import { sql } from './support/db';
import { call, createTenant, expectError, TenantKeys, waitForJob } from './support/api';

const EMAIL = 'jane.canary@example.org';
const CARD = '4111 1111 1111 1111';

describe('PII policy per namespace', () => {
  let t: TenantKeys;

  beforeAll(async () => {
    t = await createTenant();
  });

  const setPolicy = (namespace: string, policy: string, token = t.admin) =>
    call('PUT', '/v1/governance/pii-policy', { token, body: { namespace, policy } });

  it('is off by default, set by tenant admin keys only, and audited', async () => {
    expect((await call('GET', '/v1/governance/pii-policy?namespace=pii-r', { token: t.reader })).body).toMatchObject({
      namespace: 'pii-r',
      policy: 'off',
    });
    expectError(await setPolicy('pii-r', 'redact', t.writer), 403, 'insufficient_role');
    expectError(await setPolicy('pii-r', 'scramble'), 400, 'invalid_request');
    const res = await setPolicy('pii-r', 'redact');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ namespace: 'pii-r', policy: 'redact' });
    expect((await call('GET', '/v1/governance/pii-policy?namespace=pii-r', { token: t.reader })).body).toMatchObject({ policy: 'redact' });
    const audit = await call<{ items: Array<{ action: string; target: string; details: Record<string, unknown> }> }>(
      'GET',
      '/v1/audit?action=pii_policy.change',
      { token: t.admin },
    );
    expect(audit.body.items).toEqual([expect.objectContaining({ target: 'pii-r', details: { policy: 'redact', previous: 'off' } })]);
  });

  it('redact: typed placeholders replace PII before it is stored, embedded or searchable; counts per type', async () => {
    const text = `Contact ${EMAIL} or pay with card ${CARD}. The rest of the text stays.`;
    const res = await call<{ status: string; pii_counts: Record<string, number> }>('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'pii-r', doc_id: 'p1', text, title: `Note for ${EMAIL}` },
    });
    expect(res.status).toBe(200);
    expect(res.body.pii_counts).toEqual({ EMAIL: 2, CARD: 1 });
    const doc = await call<{ text: string; title: string; pii_counts: Record<string, number> }>('GET', '/v1/docs/p1?namespace=pii-r', {
      token: t.reader,
    });
    expect(doc.body.text).toBe('Contact [EMAIL] or pay with card [CARD]. The rest of the text stays.');
    expect(doc.body.title).toBe('Note for [EMAIL]');
    expect(doc.body.pii_counts).toEqual({ EMAIL: 2, CARD: 1 });
    const found = await call<{ results: unknown[] }>('POST', '/v1/search', {
      token: t.reader,
      body: { namespace: 'pii-r', query: 'jane.canary', mode: 'keyword' },
    });
    expect(found.body.results).toEqual([]);
    const leaks = await sql<{ n: number }>(
      `SELECT (SELECT count(*) FROM documents WHERE text LIKE '%jane.canary%' OR title LIKE '%jane.canary%')::int
            + (SELECT count(*) FROM chunks WHERE text LIKE '%jane.canary%' OR text LIKE '%4111 1111%')::int AS n`,
    );
    expect(leaks[0]?.n).toBe(0);
    const again = await call<{ status: string }>('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'pii-r', doc_id: 'p1', text, title: `Note for ${EMAIL}` },
    });
    expect(again.body.status).toBe('unchanged');
  });

  it('reject: documents with PII are refused with 422 pii_detected (counts, never values); clean ones pass', async () => {
    await setPolicy('pii-x', 'reject');
    const refused = await call<{ error: { message: string; details: { pii_counts: Record<string, number> } } }>('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'pii-x', doc_id: 'x1', text: `Reach me at ${EMAIL}` },
    });
    expectError(refused, 422, 'pii_detected');
    expect(refused.body.error.details.pii_counts).toEqual({ EMAIL: 1 });
    expect(JSON.stringify(refused.body)).not.toContain('jane.canary');
    expect(
      (
        await call('POST', '/v1/docs/upsert', {
          token: t.writer,
          body: { namespace: 'pii-x', doc_id: 'x2', text: 'Nothing personal here.' },
        })
      ).status,
    ).toBe(200);

    const batch = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: {
        namespace: 'pii-x',
        documents: [
          { doc_id: 'b1', text: 'clean text' },
          { doc_id: 'b2', text: `card ${CARD}` },
        ],
      },
    });
    const job = await waitForJob<{
      status: string;
      counts: Record<string, number>;
      result: { failures: Array<{ doc_id: string; code: string }> };
    }>(t.reader, batch.body.job_id);
    expect(job.status).toBe('completed');
    expect(job.counts).toMatchObject({ created: 1, failed: 1 });
    expect(job.result.failures).toEqual([expect.objectContaining({ doc_id: 'b2', code: 'pii_detected' })]);
  });

  it('off: text is stored as sent and pii_counts is empty', async () => {
    const res = await call<{ pii_counts: Record<string, number> }>('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'pii-off', doc_id: 'o1', text: `mail ${EMAIL}` },
    });
    expect(res.body.pii_counts).toEqual({});
    expect((await call<{ text: string }>('GET', '/v1/docs/o1?namespace=pii-off', { token: t.reader })).body.text).toBe(`mail ${EMAIL}`);
  });
});
