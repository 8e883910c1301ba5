import { PiiPolicyValue, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';

/** The PII policy a namespace's writes follow (read only: governance's NamespaceSettingsRepository sets it). */
export class PiiPolicyReader {
  constructor(private readonly ds: DataSource) {}

  async piiPolicy(tenantId: TenantId, namespace: string): Promise<PiiPolicyValue> {
    const rows: Array<{ pii_policy: PiiPolicyValue }> = await this.ds.query(
      `SELECT pii_policy FROM namespace_settings WHERE tenant_id = $1 AND namespace = $2`,
      [tenantId, namespace],
    );
    return rows[0]?.pii_policy ?? 'off';
  }
}
