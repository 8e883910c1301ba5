import { randomUUID } from 'node:crypto';
import { sql, withDb } from './support/db';
import { adminToken, call, createTenant, expectError, TenantKeys } from './support/api';

interface AuditEvent {
  id: number;
  tenant_id: string | null;
  actor: string;
  action: string;
  target: string | null;
  request_id: string | null;
  trace_id: string | null;
  details: Record<string, unknown>;
  hash: string;
}

describe('audit log', () => {
  let t: TenantKeys;
  let other: TenantKeys;

  beforeAll(async () => {
    [t, other] = await Promise.all([createTenant(), createTenant()]);
  });

  const events = async (token: string, query = '') =>
    (await call<{ items: AuditEvent[]; next_cursor: string | null }>('GET', `/v1/audit${query}`, { token })).body.items;

  it('records every mutation with actor, action, target, request and trace ids, and no document content', async () => {
    const secretText = 'CANARY-TEXT that must never reach the audit log';
    const upsert = await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'audit', doc_id: 'a1', text: secretText },
      headers: { 'x-request-id': 'audit-req-1' },
    });
    expect(upsert.status).toBe(200);
    await call('DELETE', '/v1/docs/a1?namespace=audit', { token: t.writer });
    const batch = await call<{ job_id: string }>('POST', '/v1/docs/upsert/batch', {
      token: t.writer,
      body: { namespace: 'audit', documents: [{ doc_id: 'b1', text: secretText }] },
    });

    const mine = await events(t.admin);
    const actions = mine.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['tenant.create', 'key.issue', 'document.upsert', 'document.delete', 'batch.submit']));
    const up = mine.find((e) => e.action === 'document.upsert' && e.target === 'audit/a1')!;
    expect(up).toMatchObject({
      tenant_id: t.tenantId,
      actor: `key:${t.writerKeyId}`,
      request_id: 'audit-req-1',
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      details: { status: 'created', chunks: 1 },
    });
    expect(mine.find((e) => e.action === 'batch.submit')).toMatchObject({
      target: batch.body.job_id,
      details: { documents: 1, namespace: 'audit' },
    });
    expect(mine.find((e) => e.action === 'tenant.create')).toMatchObject({ actor: 'admin', target: t.tenantId });
    expect(JSON.stringify(mine)).not.toContain('CANARY-TEXT');
    const stored = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE details::text LIKE '%CANARY-TEXT%' OR coalesce(target, '') LIKE '%CANARY-TEXT%'`,
    );
    expect(stored[0]?.n).toBe(0);
  });

  it('is tenant-scoped for tenant admin keys, complete for the admin token, and closed to readers and writers', async () => {
    expect((await events(other.admin)).every((e) => e.tenant_id === other.tenantId)).toBe(true);
    expect((await events(other.admin)).some((e) => e.tenant_id === t.tenantId)).toBe(false);
    const all = await events(adminToken(), '?limit=500');
    expect(all.some((e) => e.tenant_id === t.tenantId)).toBe(true);
    expectError(await call('GET', '/v1/audit', { token: t.reader }), 403, 'insufficient_role');
    expectError(await call('GET', '/v1/audit', { token: t.writer }), 403, 'insufficient_role');
    expectError(await call('GET', '/v1/audit?since=yesterday', { token: t.admin }), 400, 'invalid_request');
    const filtered = await events(t.admin, '?action=key.issue');
    expect(filtered.length).toBeGreaterThanOrEqual(3);
    expect(filtered.every((e) => e.action === 'key.issue')).toBe(true);
  });

  it('an idempotent replay is not recorded twice', async () => {
    const key = randomUUID();
    const body = { namespace: 'audit', doc_id: 'idem', text: 'once' };
    await call('POST', '/v1/docs/upsert', { token: t.writer, body, headers: { 'idempotency-key': key } });
    await call('POST', '/v1/docs/upsert', { token: t.writer, body, headers: { 'idempotency-key': key } });
    expect((await events(t.admin)).filter((e) => e.target === 'audit/idem')).toHaveLength(1);
  });

  it('is append-only, and verify finds a row edited behind the trigger', async () => {
    const before = await call<{ valid: boolean; checked: number }>('GET', '/v1/audit/verify', { token: adminToken() });
    expect(before.body.valid).toBe(true);
    expect(before.body.checked).toBeGreaterThan(3);

    await expect(sql(`UPDATE audit_events SET actor = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);

    const target = (await events(t.admin)).find((e) => e.action === 'document.delete')!;
    const [original] = await sql<{ details: unknown }>(`SELECT details FROM audit_events WHERE seq = $1`, [target.id]);
    const edit = (details: unknown) =>
      withDb(async (client) => {
        await client.query('BEGIN');
        await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
        await client.query('UPDATE audit_events SET details = $2::jsonb WHERE seq = $1', [target.id, JSON.stringify(details)]);
        await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
        await client.query('COMMIT');
      });
    await edit({ forged: true });
    try {
      const admin = await call<{ valid: boolean; first_bad_id?: number; checked: number }>('GET', '/v1/audit/verify', {
        token: adminToken(),
      });
      expect(admin.body).toMatchObject({ valid: false, first_bad_id: target.id });
      expect(admin.body.checked).toBe(target.id - 1);
      const owner = await call<{ valid: boolean; first_bad_id?: number }>('GET', '/v1/audit/verify', { token: t.admin });
      expect(owner.body).toMatchObject({ valid: false, first_bad_id: target.id });
      const stranger = await call<{ valid: boolean; first_bad_id?: number }>('GET', '/v1/audit/verify', { token: other.admin });
      expect(stranger.body.valid).toBe(false);
      expect(stranger.body.first_bad_id).toBeUndefined();
    } finally {
      await edit(original!.details);
    }
    expect((await call<{ valid: boolean }>('GET', '/v1/audit/verify', { token: adminToken() })).body.valid).toBe(true);
  });
});
