import { PiiPolicyValue, TenantId } from '@datafactory/contracts';
import { Queryable } from './queryable';

/**
 * A namespace's PII policy ('off' when it has no settings row). Read-only SQL shared by the owner of
 * `namespace_settings` (governance-data) and the ingest path that applies the policy.
 */
export async function readPiiPolicy(q: Queryable, tenantId: TenantId, namespace: string): Promise<PiiPolicyValue> {
  const rows = (await q.query(`SELECT pii_policy FROM namespace_settings WHERE tenant_id = $1 AND namespace = $2`, [
    tenantId,
    namespace,
  ])) as Array<{ pii_policy: PiiPolicyValue }>;
  return rows[0]?.pii_policy ?? 'off';
}
