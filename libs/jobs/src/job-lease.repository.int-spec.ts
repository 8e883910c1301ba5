import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import 'reflect-metadata';
import { TenantId } from '@datafactory/contracts';
import { JobItemsRepository } from './job-items.repository';
import { JobLeaseLostError, JobLeaseRepository } from './job-lease.repository';
import { JobsRepository } from './jobs.repository';

/** The worker's lease API on the real schema: every write is fenced by the attempt's token. */
describe('JobLeaseRepository (Postgres)', () => {
  let db: IntegrationDb;
  let jobs: JobsRepository;
  let leases: JobLeaseRepository;
  let items: JobItemsRepository;
  let tenant: TenantId;

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'job-lease' });
    jobs = new JobsRepository(db.ds);
    leases = new JobLeaseRepository(db.ds);
    items = new JobItemsRepository(db.ds);
    tenant = await db.tenant('job lease int');
  });

  afterAll(async () => {
    await db?.close();
  });

  const newJob = async (documents = 0) =>
    (
      await jobs.create(tenant, {
        type: documents > 0 ? 'batch_upsert' : 'index_rebuild',
        namespace: 'lease',
        queue: 'ingest',
        priority: 5,
        maxAttempts: 3,
        documents: Array.from({ length: documents }, (_, i) => ({ doc_id: `d${i}`, text: `text ${i}` })),
      })
    ).job;

  const events = async (jobId: string) => (await jobs.events(tenant, jobId, 0)).map((e) => e.type);

  it('claims a queued job with a fresh lease and records the attempt', async () => {
    const job = await newJob();
    const claimed = await leases.claim(tenant, job.id);
    expect(claimed?.lease.attempt).toBe(1);
    expect(claimed?.lease.job.status).toBe('running');
    expect(await events(job.id)).toEqual(['started']);
    // Another tenant cannot claim it, and a finished job cannot be claimed again.
    expect(await leases.claim('00000000-0000-4000-8000-000000000000' as TenantId, job.id)).toBeNull();
    await leases.finishAttempt(claimed!.lease, 'completed', {
      result: { counts: { created: 0, updated: 0, unchanged: 0, failed: 0 }, failures: [] },
    });
    expect(await leases.claim(tenant, job.id)).toBeNull();
    expect((await jobs.get(tenant, job.id))?.status).toBe('completed');
  });

  it('fences an earlier attempt out once a later one claims the job', async () => {
    const job = await newJob();
    const first = (await leases.claim(tenant, job.id))!.lease;
    await leases.finishAttempt(first, 'retrying', { error: { code: 'x', message: 'transient', class: 'x' } });
    const second = (await leases.claim(tenant, job.id))!.lease;
    expect(second.attempt).toBe(2);
    expect(second.token).not.toBe(first.token);
    await expect(leases.progress(first, { processed: 1, total: 2, event: false })).rejects.toBeInstanceOf(JobLeaseLostError);
    await expect(leases.finishAttempt(first, 'completed')).rejects.toBeInstanceOf(JobLeaseLostError);
    await expect(leases.assertLease(db.ds, first)).rejects.toBeInstanceOf(JobLeaseLostError);
    await expect(leases.assertLease(db.ds, second)).resolves.toBeUndefined();
  });

  it('reports progress, and a cancellation requested while running', async () => {
    const job = await newJob();
    const lease = (await leases.claim(tenant, job.id))!.lease;
    expect(await leases.progress(lease, { total: 4, processed: 1, event: true })).toMatchObject({ cancelRequested: false, progress: 25 });
    await jobs.cancel(tenant, job.id);
    expect(await leases.progress(lease, { processed: 2, event: false })).toMatchObject({ cancelRequested: true, progress: 50 });
    await leases.finishAttempt(lease, 'cancelled');
    expect(await events(job.id)).toEqual(['started', 'progress', 'cancel_requested', 'cancelled']);
  });

  it('hands a job back at shutdown: queued again, without a lease, claimable by the next worker', async () => {
    const job = await newJob();
    const lease = (await leases.claim(tenant, job.id))!.lease;
    await leases.finishAttempt(lease, 'queued', { eventData: { reason: 'shutdown' } });
    await expect(leases.assertLease(db.ds, lease)).rejects.toBeInstanceOf(JobLeaseLostError);
    const next = await leases.claim(tenant, job.id);
    expect(next?.lease.attempt).toBe(2);
  });

  it('dead-letters with a dead-letter row and keeps the staged items for a replay; a terminal end drops them', async () => {
    const dead = await newJob(2);
    const lease = (await leases.claim(tenant, dead.id))!.lease;
    await leases.finishAttempt(lease, 'dead_lettered', {
      error: { code: 'x', message: 'gave up', class: 'x' },
      eventData: { attempts: 3 },
    });
    const letters = (await db.ds.query(`SELECT attempts FROM dead_letters WHERE job_id = $1`, [dead.id])) as Array<{ attempts: number }>;
    expect(letters).toEqual([{ attempts: 3 }]);
    expect((await items.pendingItems(dead.id, -1, 10)).length).toBe(2);

    const done = await newJob(2);
    const other = (await leases.claim(tenant, done.id))!.lease;
    await leases.finishAttempt(other, 'failed', { error: { code: 'x', message: 'permanent', class: 'x' } });
    const bodies = (await db.ds.query(`SELECT count(*)::int AS n FROM job_items WHERE job_id = $1 AND body <> '{}'::jsonb`, [
      done.id,
    ])) as Array<{
      n: number;
    }>;
    expect(bodies[0]!.n).toBe(0);
  });

  it('refuses a transition the state machine does not allow', async () => {
    const job = await newJob();
    const lease = (await leases.claim(tenant, job.id))!.lease;
    await leases.finishAttempt(lease, 'completed');
    // The lease token was cleared with the terminal state, so even the holder cannot move it on.
    await expect(leases.finishAttempt(lease, 'failed')).rejects.toBeInstanceOf(JobLeaseLostError);
    expect((await jobs.get(tenant, job.id))?.status).toBe('completed');
  });
});
