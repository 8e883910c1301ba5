import { MigrationInterface, QueryRunner } from 'typeorm';

/** Retention policies (per tenant: namespace '*' is the tenant default), legal holds, and the sweep job type. */
export class Retention1763950000000 implements MigrationInterface {
  name = 'Retention1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retention_policies (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        namespace text NOT NULL,
        max_age_days int NOT NULL CHECK (max_age_days >= 0),
        deleted_grace_days int NOT NULL CHECK (deleted_grace_days >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, namespace)
      )`);
    await q.query(`ALTER TABLE documents ADD COLUMN legal_hold boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX documents_retention_idx ON documents (tenant_id, updated_at) WHERE NOT legal_hold`);
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT jobs_type_check`);
    await q.query(
      `ALTER TABLE jobs ADD CONSTRAINT jobs_type_check CHECK (type IN ('batch_upsert', 'index_rebuild', 'erasure', 'retention_sweep'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT jobs_type_check`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT jobs_type_check CHECK (type IN ('batch_upsert', 'index_rebuild', 'erasure'))`);
    await q.query(`DROP INDEX IF EXISTS documents_retention_idx`);
    await q.query(`ALTER TABLE documents DROP COLUMN IF EXISTS legal_hold`);
    await q.query(`DROP TABLE IF EXISTS retention_policies`);
  }
}
