import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-namespace governance settings (PII policy; retention later) and the PII counts of each document. */
export class NamespaceSettings1763930000000 implements MigrationInterface {
  name = 'NamespaceSettings1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE namespace_settings (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        namespace text NOT NULL,
        pii_policy text NOT NULL DEFAULT 'off' CHECK (pii_policy IN ('off', 'redact', 'reject')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, namespace)
      )`);
    await q.query(`ALTER TABLE documents ADD COLUMN pii_counts jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents DROP COLUMN IF EXISTS pii_counts`);
    await q.query(`DROP TABLE IF EXISTS namespace_settings`);
  }
}
