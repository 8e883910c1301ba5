import { PiiPolicyValue, TenantId } from '@datafactory/contracts';
import { readPiiPolicy } from '@datafactory/db';
import { DataSource } from 'typeorm';

/** The PII policy a namespace's writes follow (read only: governance's NamespaceSettingsRepository sets it). */
export class PiiPolicyReader {
  constructor(private readonly ds: DataSource) {}

  piiPolicy(tenantId: TenantId, namespace: string): Promise<PiiPolicyValue> {
    return readPiiPolicy(this.ds, tenantId, namespace);
  }
}
