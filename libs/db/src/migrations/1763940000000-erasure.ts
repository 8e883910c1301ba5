import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GDPR erasure (governance): erasure requests with their signed certificates, and tombstones that stop a
 * write accepted before an erasure (a batch still in flight) from bringing erased data back.
 */
export class Erasure1763940000000 implements MigrationInterface {
  name = 'Erasure1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT jobs_type_check`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT jobs_type_check CHECK (type IN ('batch_upsert', 'index_rebuild', 'erasure'))`);
    await q.query(`
      CREATE TABLE erasure_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        scope text NOT NULL CHECK (scope IN ('document', 'subject', 'namespace', 'tenant')),
        namespace text,
        doc_id text,
        subject_hash text,
        dry_run boolean NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed')),
        job_id uuid,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        certificate jsonb
      )`);
    await q.query(`CREATE INDEX erasure_requests_tenant_idx ON erasure_requests (tenant_id, requested_at DESC)`);
    await q.query(`
      CREATE TABLE erasure_tombstones (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        erasure_id uuid NOT NULL REFERENCES erasure_requests(id) ON DELETE CASCADE,
        namespace text,
        doc_id text,
        subject_hash text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX erasure_tombstones_tenant_idx ON erasure_tombstones (tenant_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS erasure_tombstones`);
    await q.query(`DROP TABLE IF EXISTS erasure_requests`);
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT jobs_type_check`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT jobs_type_check CHECK (type IN ('batch_upsert', 'index_rebuild'))`);
  }
}
