import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable jobs (job-orchestrator): jobs and their events, staged batch items (document text travels
 * through Postgres, never through Redis), the transactional outbox, dead letters, and the gateway's
 * idempotency records.
 */
export class DurableJobs1763910000000 implements MigrationInterface {
  name = 'DurableJobs1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        type text NOT NULL CHECK (type IN ('batch_upsert', 'index_rebuild')),
        status text NOT NULL CHECK (status IN ('queued', 'running', 'retrying', 'completed', 'failed', 'cancelled', 'dead_lettered')),
        queue text NOT NULL,
        priority int NOT NULL,
        namespace text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}'::jsonb,
        total int NOT NULL DEFAULT 0,
        processed int NOT NULL DEFAULT 0,
        progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        counts jsonb NOT NULL DEFAULT '{"created":0,"updated":0,"unchanged":0,"failed":0}'::jsonb,
        result jsonb,
        error jsonb,
        attempts int NOT NULL DEFAULT 0,
        max_attempts int NOT NULL,
        generation int NOT NULL DEFAULT 0,
        cancel_requested boolean NOT NULL DEFAULT false,
        lease_token uuid,
        idempotency_key text,
        request_hash text,
        trace_context text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT jobs_tenant_idempotency_key UNIQUE (tenant_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX jobs_unfinished_idx ON jobs (updated_at) WHERE status IN ('queued', 'running', 'retrying')`);
    await q.query(`CREATE INDEX jobs_tenant_created_idx ON jobs (tenant_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE job_events (
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq int NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, seq)
      )`);

    await q.query(`
      CREATE TABLE job_items (
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        ordinal int NOT NULL,
        doc_id text NOT NULL,
        body jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        outcome text,
        error jsonb,
        PRIMARY KEY (job_id, ordinal)
      )`);
    await q.query(`CREATE INDEX job_items_pending_idx ON job_items (job_id, ordinal) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        queue text NOT NULL,
        generation int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`);

    await q.query(`
      CREATE TABLE dead_letters (
        job_id uuid PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        queue text NOT NULL,
        error jsonb NOT NULL,
        attempts int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz
      )`);
    await q.query(`CREATE INDEX dead_letters_tenant_idx ON dead_letters (tenant_id, created_at DESC) WHERE replayed_at IS NULL`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        response_status int,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'dead_letters', 'outbox', 'job_items', 'job_events', 'jobs'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
