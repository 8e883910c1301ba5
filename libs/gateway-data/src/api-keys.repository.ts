import { TenantId, asTenantId } from '@datafactory/contracts';
import { DataSource, Repository } from 'typeorm';
import { ApiKeyEntity, ApiKeyRoleValue, returningRows } from '@datafactory/db';

export interface ActiveApiKey {
  id: string;
  tenantId: TenantId;
  role: ApiKeyRoleValue;
}

export class ApiKeysRepository {
  private readonly repo: Repository<ApiKeyEntity>;

  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(ApiKeyEntity);
  }

  async create(
    tenantId: TenantId,
    input: { role: ApiKeyRoleValue; name: string | null; keyPrefix: string; keyHash: Buffer },
  ): Promise<ApiKeyEntity> {
    return this.repo.save(this.repo.create({ tenantId, ...input, revokedAt: null, lastUsedAt: null }));
  }

  /**
   * The key with this hash, unless revoked. Looked up on every request, so revocation is immediate: one indexed
   * statement, without the query builder (it is on every request's path, docs/performance.md).
   */
  async findActiveByHash(keyHash: Buffer): Promise<ActiveApiKey | null> {
    const rows: Array<{ id: string; tenant_id: string; role: ApiKeyRoleValue }> = await this.ds.query(
      `SELECT id, tenant_id, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    const key = rows[0];
    return key ? { id: key.id, tenantId: asTenantId(key.tenant_id), role: key.role } : null;
  }

  /** Revokes the key; null when the tenant has no such key. Revoking twice keeps the first time. */
  async revoke(tenantId: TenantId, keyId: string): Promise<Date | null> {
    const rows = await returningRows<{ revoked_at: Date }>(
      this.ds,
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING revoked_at`,
      [tenantId, keyId],
    );
    return rows[0]?.revoked_at ?? null;
  }

  /** Best effort and coarse (once a minute per key), so a hot key does not write on every request. */
  async touch(keyId: string): Promise<void> {
    await this.ds.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [keyId],
    );
  }
}
