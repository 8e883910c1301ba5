import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job state machine, enforced by Postgres: `job_status_transitions` lists every allowed change of
 * `jobs.status`, and a trigger refuses any other (SQLSTATE 23514, check_violation), whatever code runs the
 * UPDATE. The rows are the table of `libs/contracts/src/jobs/job-state.ts` as of this migration; a test keeps
 * the two equal. `running → running` is a new attempt taking a job over.
 */
export class JobStatusTransitions1763970000000 implements MigrationInterface {
  name = 'JobStatusTransitions1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job_status_transitions (
        from_status text NOT NULL,
        to_status text NOT NULL,
        PRIMARY KEY (from_status, to_status)
      )`);
    await q.query(`
      INSERT INTO job_status_transitions (from_status, to_status) VALUES
        ('queued', 'running'), ('dead_lettered', 'queued'), ('running', 'queued'),
        ('queued', 'running'), ('running', 'running'), ('retrying', 'running'),
        ('running', 'retrying'),
        ('running', 'completed'),
        ('running', 'failed'),
        ('queued', 'cancelled'), ('running', 'cancelled'), ('retrying', 'cancelled'),
        ('running', 'dead_lettered'), ('retrying', 'dead_lettered')
      ON CONFLICT DO NOTHING`);
    await q.query(`
      CREATE FUNCTION jobs_check_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM job_status_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
          RAISE EXCEPTION 'job % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'jobs_status_transition';
        END IF;
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER jobs_status_transition BEFORE UPDATE OF status ON jobs
        FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.status = 'running')
        EXECUTE FUNCTION jobs_check_status_transition()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS jobs_status_transition ON jobs`);
    await q.query(`DROP FUNCTION IF EXISTS jobs_check_status_transition()`);
    await q.query(`DROP TABLE IF EXISTS job_status_transitions`);
  }
}
