import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { asTenantId, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { ApiKeysRepository } from './api-keys.repository';
import { TenantsRepository } from './tenants.repository';

describe('ApiKeysRepository (Postgres)', () => {
  let db: IntegrationDb;
  let ds: DataSource;
  let keys: ApiKeysRepository;
  let tenantA: TenantId;
  let tenantB: TenantId;

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'api-keys', poolSize: 4, statementTimeoutMs: 10_000 });
    ds = db.ds;
    keys = new ApiKeysRepository(ds);
    const tenants = new TenantsRepository(ds);
    tenantA = asTenantId((await tenants.create('api-keys-int A')).id);
    tenantB = asTenantId((await tenants.create('api-keys-int B')).id);
  });

  afterAll(async () => {
    await db?.close();
  });

  const newKey = (tenantId: TenantId, role: 'reader' | 'writer' | 'admin' = 'writer') => {
    const keyHash = randomBytes(32);
    return keys.create(tenantId, { role, name: 'ci', keyPrefix: 'df_abcdef', keyHash }).then((entity) => ({ entity, keyHash }));
  };

  it('creates a key and finds it by hash with its tenant and role', async () => {
    const { entity, keyHash } = await newKey(tenantA, 'reader');
    expect(entity.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(entity.createdAt).toBeInstanceOf(Date);
    expect(entity.revokedAt).toBeNull();
    await expect(keys.findActiveByHash(keyHash)).resolves.toEqual({ id: entity.id, tenantId: tenantA, role: 'reader' });
    await expect(keys.findActiveByHash(Buffer.from(keyHash))).resolves.toMatchObject({ id: entity.id });
  });

  it('finds nothing for an unknown hash', async () => {
    await expect(keys.findActiveByHash(randomBytes(32))).resolves.toBeNull();
  });

  it('refuses a second key with the same hash', async () => {
    const { keyHash } = await newKey(tenantA);
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined); // TypeORM logs the failed query
    try {
      await expect(keys.create(tenantB, { role: 'admin', name: null, keyPrefix: 'df_zzzzzz', keyHash })).rejects.toThrow(
        /api_keys_key_hash_key/,
      );
    } finally {
      quiet.mockRestore();
    }
  });

  it('revokes immediately: findActiveByHash returns null afterwards, and a second revoke keeps the first time', async () => {
    const { entity, keyHash } = await newKey(tenantA);
    const revokedAt = await keys.revoke(tenantA, entity.id);
    expect(revokedAt).toBeInstanceOf(Date);
    await expect(keys.findActiveByHash(keyHash)).resolves.toBeNull();

    await new Promise((r) => setTimeout(r, 5));
    const again = await keys.revoke(tenantA, entity.id);
    expect(again?.getTime()).toBe(revokedAt?.getTime());
  });

  it("does not let a tenant revoke another tenant's key", async () => {
    const { entity, keyHash } = await newKey(tenantA, 'admin');
    await expect(keys.revoke(tenantB, entity.id)).resolves.toBeNull();
    await expect(keys.findActiveByHash(keyHash)).resolves.toEqual({ id: entity.id, tenantId: tenantA, role: 'admin' });
  });

  it('returns null when revoking a key id that does not exist', async () => {
    await expect(keys.revoke(tenantA, randomUUID())).resolves.toBeNull();
  });

  it('touch records the last use at most once a minute', async () => {
    const { entity } = await newKey(tenantB);
    const lastUsed = async () => {
      const rows: Array<{ t: Date | null }> = await ds.query(`SELECT last_used_at AS t FROM api_keys WHERE id = $1`, [entity.id]);
      return rows[0]?.t ?? null;
    };
    expect(await lastUsed()).toBeNull();
    await keys.touch(entity.id);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 5));
    await keys.touch(entity.id);
    expect((await lastUsed())?.getTime()).toBe(first?.getTime());
  });
});
