import { TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { EFFECTIVE, EXPIRED, PURGEABLE, RetentionDefaults, returningRows } from '@datafactory/db';

export interface RetentionPolicyRow {
  namespace: string;
  maxAgeDays: number;
  deletedGraceDays: number;
  updatedAt: Date;
}

/** Retention policies, legal holds (the `documents.legal_hold` column), and a preview of what a sweep would remove. */
export class RetentionRepository {
  constructor(private readonly ds: DataSource) {}

  async policies(tenantId: TenantId): Promise<RetentionPolicyRow[]> {
    const rows: Array<{ namespace: string; max_age_days: number; deleted_grace_days: number; updated_at: Date }> = await this.ds.query(
      `SELECT namespace, max_age_days, deleted_grace_days, updated_at FROM retention_policies WHERE tenant_id = $1 ORDER BY namespace`,
      [tenantId],
    );
    return rows.map((r) => ({
      namespace: r.namespace,
      maxAgeDays: r.max_age_days,
      deletedGraceDays: r.deleted_grace_days,
      updatedAt: r.updated_at,
    }));
  }

  async setPolicy(tenantId: TenantId, namespace: string, maxAgeDays: number, deletedGraceDays: number): Promise<void> {
    await this.ds.query(
      `INSERT INTO retention_policies (tenant_id, namespace, max_age_days, deleted_grace_days) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, namespace) DO UPDATE SET max_age_days = EXCLUDED.max_age_days, deleted_grace_days = EXCLUDED.deleted_grace_days, updated_at = now()`,
      [tenantId, namespace, maxAgeDays, deletedGraceDays],
    );
  }

  /** Sets or clears a document's legal hold; false when the tenant has no such document. */
  async setLegalHold(tenantId: TenantId, namespace: string, docId: string, hold: boolean): Promise<boolean> {
    const rows = await returningRows<{ id: string }>(
      this.ds,
      `UPDATE documents SET legal_hold = $4 WHERE tenant_id = $1 AND namespace = $2 AND doc_id = $3 RETURNING id`,
      [tenantId, namespace, docId, hold],
    );
    return rows.length > 0;
  }

  async preview(
    tenantId: TenantId,
    defaults: RetentionDefaults,
  ): Promise<{
    expired: number;
    softDeleted: number;
    onLegalHold: number;
    sample: Array<{ namespace: string; docId: string; reason: string }>;
  }> {
    const p = [tenantId, defaults.maxAgeDays, defaults.deletedGraceDays];
    const counts: Array<{ expired: number; purge: number; held: number }> = await this.ds.query(
      `SELECT count(*) FILTER (WHERE ${EXPIRED})::int AS expired, count(*) FILTER (WHERE ${PURGEABLE})::int AS purge,
              count(*) FILTER (WHERE d.legal_hold)::int AS held
         FROM documents d ${EFFECTIVE} WHERE d.tenant_id = $1`,
      p,
    );
    const sample: Array<{ namespace: string; doc_id: string; reason: string }> = await this.ds.query(
      `SELECT d.namespace, d.doc_id, CASE WHEN d.status = 'active' THEN 'expired' ELSE 'deleted, grace period over' END AS reason
         FROM documents d ${EFFECTIVE} WHERE d.tenant_id = $1 AND ((${EXPIRED}) OR (${PURGEABLE})) ORDER BY d.namespace, d.doc_id LIMIT 100`,
      p,
    );
    const c = counts[0];
    return {
      expired: c?.expired ?? 0,
      softDeleted: c?.purge ?? 0,
      onLegalHold: c?.held ?? 0,
      sample: sample.map((s) => ({ namespace: s.namespace, docId: s.doc_id, reason: s.reason })),
    };
  }
}
