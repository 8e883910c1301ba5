import { PiiPolicyValue as PiiPolicy, TenantId } from '@datafactory/contracts';
import { readPiiPolicy } from '@datafactory/db';
import { DataSource } from 'typeorm';

/** Governance settings per tenant namespace; a namespace without a row has the defaults (PII policy off). */
export class NamespaceSettingsRepository {
  constructor(private readonly ds: DataSource) {}

  piiPolicy(tenantId: TenantId, namespace: string): Promise<PiiPolicy> {
    return readPiiPolicy(this.ds, tenantId, namespace);
  }

  async setPiiPolicy(tenantId: TenantId, namespace: string, policy: PiiPolicy): Promise<{ previous: PiiPolicy; updatedAt: Date }> {
    return this.ds.transaction(async (em) => {
      const before: Array<{ pii_policy: PiiPolicy }> = await em.query(
        `SELECT pii_policy FROM namespace_settings WHERE tenant_id = $1 AND namespace = $2 FOR UPDATE`,
        [tenantId, namespace],
      );
      const rows: Array<{ updated_at: Date }> = await em.query(
        `INSERT INTO namespace_settings (tenant_id, namespace, pii_policy) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, namespace) DO UPDATE SET pii_policy = EXCLUDED.pii_policy, updated_at = now()
         RETURNING updated_at`,
        [tenantId, namespace, policy],
      );
      return { previous: before[0]?.pii_policy ?? 'off', updatedAt: rows[0]?.updated_at as Date };
    });
  }
}
