import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tamper-evident audit log (governance): append-only (a trigger refuses UPDATE and DELETE) and
 * hash-chained — each row's hash covers its fields and the previous row's hash, so an edit made around
 * the trigger (by a superuser) breaks the chain at that row.
 */
export class AuditLog1763920000000 implements MigrationInterface {
  name = 'AuditLog1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        seq bigint PRIMARY KEY,
        tenant_id uuid,
        actor text NOT NULL,
        action text NOT NULL,
        target text,
        request_id text,
        trace_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, seq)`);
    await q.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, seq)`);
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS audit_events`);
    await q.query(`DROP FUNCTION IF EXISTS audit_events_append_only()`);
  }
}
