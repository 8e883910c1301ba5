import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import 'reflect-metadata';
import { JOB_STATUSES, JobStatus, allowedFrom, canTransition } from '@datafactory/contracts';
import { DataSource } from 'typeorm';

/** The job state machine as Postgres enforces it (migration 1763970000000): the same table as job-state.ts, and nothing else. */
describe('job status transitions (Postgres)', () => {
  let db: IntegrationDb;
  let ds: DataSource;
  let tenantId: string;

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'job-transitions', poolSize: 2, statementTimeoutMs: 15_000 });
    ds = db.ds;
    tenantId = await db.tenant('transitions int');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('allows in Postgres exactly the transitions of job-state.ts', async () => {
    const rows: Array<{ from_status: JobStatus; to_status: JobStatus }> = await ds.query(
      `SELECT from_status, to_status FROM job_status_transitions ORDER BY 1, 2`,
    );
    const fromTs = JOB_STATUSES.flatMap((to) => allowedFrom(to).map((from) => `${from}->${to}`)).sort();
    expect(rows.map((r) => `${r.from_status}->${r.to_status}`).sort()).toEqual(fromTs);
  });

  // Every pair: a changed status must be an allowed transition; an unchanged one is no transition, except
  // running → running (a new attempt taking the job over), which is one.
  const pairs = JOB_STATUSES.flatMap((from) => JOB_STATUSES.map((to) => [from, to] as const));
  it.each(pairs)('%s -> %s', async (from, to) => {
    const [job] = (await ds.query(
      `INSERT INTO jobs (tenant_id, type, status, queue, priority, namespace, max_attempts) VALUES ($1, 'index_rebuild', $2, 'ingest', 10, 'n', 5) RETURNING id`,
      [tenantId, from],
    )) as Array<{ id: string }>;
    const update = ds.query(`UPDATE jobs SET status = $2 WHERE id = $1`, [job!.id, to]);
    if (canTransition(from, to) || (from === to && from !== 'running')) {
      await expect(update).resolves.toBeDefined();
    } else {
      await expect(update).rejects.toMatchObject({ driverError: { code: '23514', constraint: 'jobs_status_transition' } });
    }
  });
});
