import { sql } from './support/db';
import { call, createTenant, expectError, TenantKeys, waitForJob } from './support/api';

async function rowCount(tenantId: string, namespace: string, docId: string): Promise<number> {
  const rows = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1 AND namespace = $2 AND doc_id = $3`,
    [tenantId, namespace, docId],
  );
  return rows[0]?.n ?? -1;
}

describe('retention', () => {
  let t: TenantKeys;

  beforeAll(async () => {
    t = await createTenant();
    for (const [ns, id] of [
      ['ret', 'a'],
      ['ret', 'b'],
      ['ret', 'c'],
      ['keep', 'k'],
      ['ret2', 'x'],
    ] as const) {
      expect(
        (await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: ns, doc_id: id, text: `document ${ns}/${id}` } }))
          .status,
      ).toBe(200);
    }
    expect((await call('DELETE', '/v1/docs/x?namespace=ret2', { token: t.writer })).status).toBe(200);
  });

  it('shows the defaults and validates policy changes (tenant admin keys only)', async () => {
    const res = await call<{ system_default: { max_age_days: number; deleted_grace_days: number }; policies: unknown[] }>(
      'GET',
      '/v1/governance/retention',
      { token: t.reader },
    );
    expect(res.body).toEqual({ system_default: { max_age_days: 180, deleted_grace_days: 30 }, policies: [] });
    expectError(
      await call('PUT', '/v1/governance/retention', { token: t.admin, body: { namespace: 'ret', max_age_days: -1 } }),
      400,
      'invalid_request',
    );
    expectError(
      await call('PUT', '/v1/governance/retention', { token: t.writer, body: { namespace: 'ret', max_age_days: 1 } }),
      403,
      'insufficient_role',
    );
    expectError(
      await call('PUT', '/v1/governance/legal-hold', { token: t.admin, body: { namespace: 'ret', doc_id: 'nope', hold: true } }),
      404,
      'document_not_found',
    );
  });

  it('previews and sweeps: expired documents and soft-deleted ones past their grace go, legal holds and other namespaces stay', async () => {
    expect(
      (
        await call('PUT', '/v1/governance/retention', {
          token: t.admin,
          body: { namespace: 'ret', max_age_days: 0, deleted_grace_days: 0 },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('PUT', '/v1/governance/retention', {
          token: t.admin,
          body: { namespace: 'ret2', max_age_days: 365, deleted_grace_days: 0 },
        })
      ).status,
    ).toBe(200);
    const hold = await call('PUT', '/v1/governance/legal-hold', { token: t.admin, body: { namespace: 'ret', doc_id: 'b', hold: true } });
    expect(hold.body).toEqual({ namespace: 'ret', doc_id: 'b', legal_hold: true });

    const preview = await call<{
      expired_documents: number;
      soft_deleted_to_purge: number;
      on_legal_hold: number;
      sample: Array<{ namespace: string; doc_id: string }>;
    }>('GET', '/v1/governance/retention/preview', { token: t.reader });
    expect(preview.body).toMatchObject({ expired_documents: 2, soft_deleted_to_purge: 1, on_legal_hold: 1 });
    expect(preview.body.sample.map((s) => `${s.namespace}/${s.doc_id}`)).toEqual(['ret/a', 'ret/c', 'ret2/x']);

    const sweep = await call<{ job_id: string }>('POST', '/v1/governance/retention/sweep', { token: t.admin });
    expect(sweep.status).toBe(202);
    expect((await waitForJob(t.reader, sweep.body.job_id, 20_000)).status).toBe('completed');

    expect(await rowCount(t.tenantId, 'ret', 'a')).toBe(0);
    expect(await rowCount(t.tenantId, 'ret', 'c')).toBe(0);
    expect(await rowCount(t.tenantId, 'ret2', 'x')).toBe(0);
    expect((await call('GET', '/v1/docs/b?namespace=ret', { token: t.reader })).status).toBe(200);
    expect((await call('GET', '/v1/docs/k?namespace=keep', { token: t.reader })).status).toBe(200);

    const audit = await call<{ items: Array<{ action: string; details: Record<string, unknown> }> }>('GET', '/v1/audit', {
      token: t.admin,
    });
    expect(audit.body.items.find((e) => e.action === 'retention.sweep')?.details).toMatchObject({
      expired_deleted: 2,
      soft_deleted_purged: 1,
    });
    expect(audit.body.items.filter((e) => e.action === 'retention.change')).toHaveLength(2);
    expect(audit.body.items.some((e) => e.action === 'legal_hold.change')).toBe(true);
    const after = await call<{ expired_documents: number; soft_deleted_to_purge: number }>('GET', '/v1/governance/retention/preview', {
      token: t.reader,
    });
    expect(after.body).toMatchObject({ expired_documents: 0, soft_deleted_to_purge: 0 });
  });
});
