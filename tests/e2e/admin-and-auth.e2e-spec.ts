import { adminToken, call, createTenant, expectError, TenantKeys } from './support/api';

describe('admin API and authentication', () => {
  let t: TenantKeys;

  beforeAll(async () => {
    t = await createTenant();
  });

  it('creates a tenant with id, name and creation time', async () => {
    const res = await call('POST', '/v1/admin/tenants', { token: adminToken(), body: { name: 'Acme Corp' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ tenant_id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Acme Corp', created_at: expect.any(String) });
    expect(Number.isNaN(Date.parse(res.body['created_at'] as string))).toBe(false);
  });

  it('issues a key once, with its role, and stores only a keyed hash', async () => {
    const res = await call<{ key_id: string; api_key: string; role: string; prefix: string }>(
      'POST',
      `/v1/admin/tenants/${t.tenantId}/keys`,
      {
        token: adminToken(),
        body: { role: 'reader', name: 'ci' },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key_id: expect.any(String), role: 'reader' });
    expect(res.body.api_key).toMatch(/^df_[A-Za-z0-9_-]{40,}$/);
    expect(res.body.api_key.startsWith(res.body.prefix)).toBe(true);
  });

  it('rejects key requests with a bad role, for unknown tenants and malformed ids', async () => {
    expectError(
      await call('POST', `/v1/admin/tenants/${t.tenantId}/keys`, { token: adminToken(), body: { role: 'owner' } }),
      400,
      'invalid_request',
    );
    expectError(
      await call('POST', `/v1/admin/tenants/00000000-0000-4000-8000-000000000000/keys`, { token: adminToken(), body: { role: 'reader' } }),
      404,
      'tenant_not_found',
    );
    expectError(
      await call('POST', `/v1/admin/tenants/not-a-uuid/keys`, { token: adminToken(), body: { role: 'reader' } }),
      400,
      'invalid_request',
    );
    expectError(await call('POST', '/v1/admin/tenants', { token: adminToken(), body: { name: '' } }), 400, 'invalid_request');
  });

  it('revoked keys get 401 at once', async () => {
    const temp = await call<{ key_id: string; api_key: string }>('POST', `/v1/admin/tenants/${t.tenantId}/keys`, {
      token: adminToken(),
      body: { role: 'writer' },
    });
    expect((await call('GET', '/v1/docs', { token: temp.body.api_key })).status).toBe(200);
    const revoked = await call('DELETE', `/v1/admin/tenants/${t.tenantId}/keys/${temp.body.key_id}`, { token: adminToken() });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ key_id: temp.body.key_id, revoked: true });
    expectError(await call('GET', '/v1/docs', { token: temp.body.api_key }), 401, 'invalid_credentials');
    expectError(
      await call('DELETE', `/v1/admin/tenants/${t.tenantId}/keys/00000000-0000-4000-8000-000000000000`, { token: adminToken() }),
      404,
      'api_key_not_found',
    );
  });

  it('a tenant cannot revoke keys of another tenant through the admin path of its own id', async () => {
    const other = await createTenant();
    expectError(
      await call('DELETE', `/v1/admin/tenants/${other.tenantId}/keys/${t.writerKeyId}`, { token: adminToken() }),
      404,
      'api_key_not_found',
    );
    expect((await call('GET', '/v1/docs', { token: t.writer })).status).toBe(200);
  });

  it('401 without credentials, with a wrong key and with a malformed header', async () => {
    expectError(await call('GET', '/v1/docs'), 401, 'missing_credentials');
    expectError(await call('GET', '/v1/docs', { token: 'df_thisisnotarealkeybutlooksliketheformat000' }), 401, 'invalid_credentials');
    expectError(await call('GET', '/v1/docs', { token: 'nonsense' }), 401, 'invalid_credentials');
    expectError(await call('GET', '/v1/docs', { headers: { authorization: 'Basic abc' } }), 401, 'missing_credentials');
    expectError(await call('POST', '/v1/admin/tenants', { body: { name: 'x' } }), 401, 'missing_credentials');
  });

  it('403 for a reader writing, a tenant key on admin routes and the admin token on tenant routes', async () => {
    expectError(await call('POST', '/v1/docs/upsert', { token: t.reader, body: { doc_id: 'a', text: 'hello' } }), 403, 'insufficient_role');
    expectError(await call('DELETE', '/v1/docs/a', { token: t.reader }), 403, 'insufficient_role');
    expectError(await call('POST', '/v1/admin/tenants', { token: t.admin, body: { name: 'x' } }), 403, 'admin_token_required');
    expectError(
      await call('POST', '/v1/docs/upsert', { token: adminToken(), body: { doc_id: 'a', text: 'hello' } }),
      403,
      'tenant_key_required',
    );
  });

  it('a tenant admin key can read and write its tenant', async () => {
    const res = await call('POST', '/v1/docs/upsert', {
      token: t.admin,
      body: { doc_id: 'by-admin-key', text: 'written with an admin-role key' },
    });
    expect(res.status).toBe(200);
    expect((await call('GET', '/v1/docs/by-admin-key', { token: t.reader })).status).toBe(200);
  });
});
