import { JobCounts, JobError, JobEventType, JobStatus, TenantId, allowedFrom, isTerminal } from '@datafactory/contracts';
import { Queryable, returningRows } from '@datafactory/db';
import { DataSource } from 'typeorm';
import { itemCounts } from './job-items.repository';
import { JobRow, Lease, appendJobEvent, toJob } from './job-row';

/** A worker's write after its lease was taken by another attempt (stalled, stopped, or a duplicate delivery). */
export class JobLeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId}: the lease was taken over by another attempt`);
    this.name = 'JobLeaseLostError';
  }
}

/** Throws JobLeaseLostError unless the lease is still this attempt's (a running job holding that token). */
export async function assertLeaseHeld(q: Queryable, lease: Lease): Promise<void> {
  const rows = (await q.query(`SELECT 1 FROM jobs WHERE id = $1 AND lease_token = $2 AND status = 'running' FOR SHARE`, [
    lease.job.id,
    lease.token,
  ])) as unknown[];
  if (rows.length === 0) throw new JobLeaseLostError(lease.job.id);
}

/**
 * The worker's side of a job, all of it fenced by the attempt's lease token: claim (a fresh lease), progress
 * (also the heartbeat, and the cancellation check), assert the lease inside a handler's own transaction, and
 * finish the attempt (completed, failed, retrying, dead-lettered, cancelled, or handed back as queued).
 * Batch items are settled under the same lease by JobItemsRepository.
 */
export class JobLeaseRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Starts an attempt: moves the job to running under a fresh lease token, so writes of any earlier attempt
   * (a stalled or stopped worker) are refused from now on. Null when the job is not runnable (finished,
   * cancelled, or not this tenant's).
   */
  async claim(tenantId: TenantId, jobId: string): Promise<{ lease: Lease; seq: number } | null> {
    return this.ds.transaction(async (em) => {
      const rows = await returningRows<Record<string, unknown>>(
        em,
        `UPDATE jobs SET status = 'running', lease_token = gen_random_uuid(), attempts = attempts + 1,
                started_at = coalesce(started_at, now()), updated_at = now()
          WHERE id = $1 AND tenant_id = $2 AND status = ANY($3::text[]) RETURNING *`,
        [jobId, tenantId, allowedFrom('running')],
      );
      const row = rows[0];
      if (!row) return null;
      const job = toJob(row);
      const seq = await appendJobEvent(em, jobId, 'started', { attempt: job.attempts });
      return { lease: { token: row['lease_token'] as string, attempt: job.attempts, job }, seq };
    });
  }

  /**
   * Records progress under the lease and answers whether a cancellation was requested. A batch's counts
   * are derived from its settled items (exact across crashes and reruns); other jobs pass theirs.
   */
  async progress(
    lease: Lease,
    update: { total?: number; processed?: number; counts?: JobCounts; checkpoint?: Record<string, unknown>; event: boolean },
  ): Promise<{ cancelRequested: boolean; progress: number; counts: JobCounts }> {
    let processed = update.processed;
    let counts = update.counts;
    if (lease.job.type === 'batch_upsert') {
      const summary = await itemCounts(this.ds, lease.job.id);
      counts = summary.counts;
      processed = summary.processed;
    }
    return this.ds.transaction(async (em) => {
      const rows = await returningRows<{ cancel_requested: boolean; processed: number; total: number; counts: JobCounts }>(
        em,
        `UPDATE jobs SET total = coalesce($3, total), processed = coalesce($4, processed), counts = coalesce($5::jsonb, counts),
                params = CASE WHEN $6::jsonb IS NULL THEN params ELSE params || jsonb_build_object('checkpoint', $6::jsonb) END,
                progress = CASE WHEN coalesce($3, total) > 0 THEN least(100, floor(100.0 * coalesce($4, processed) / coalesce($3, total)))::int ELSE progress END,
                updated_at = now()
          WHERE id = $1 AND lease_token = $2 AND status = 'running'
          RETURNING cancel_requested, processed, total, counts, progress`,
        [
          lease.job.id,
          lease.token,
          update.total ?? null,
          processed ?? null,
          counts ? JSON.stringify(counts) : null,
          update.checkpoint ? JSON.stringify(update.checkpoint) : null,
        ],
      );
      const row = rows[0] as
        { cancel_requested: boolean; processed: number; total: number; counts: JobCounts; progress?: number } | undefined;
      if (!row) throw new JobLeaseLostError(lease.job.id);
      const progress = Number(row.progress ?? 0);
      if (update.event)
        await appendJobEvent(em, lease.job.id, 'progress', { progress, processed: row.processed, total: row.total, counts: row.counts });
      return { cancelRequested: row.cancel_requested, progress, counts: row.counts };
    });
  }

  /**
   * Ends an attempt under its lease: completed, failed, cancelled, dead_lettered (with a dead-letter row),
   * retrying (the queue will run another attempt) or queued (handed back at shutdown).
   */
  async finishAttempt(
    lease: Lease,
    to: Exclude<JobStatus, 'running'>,
    outcome: { result?: JobRow['result']; error?: JobError; eventData?: Record<string, unknown> } = {},
  ): Promise<number> {
    return this.ds.transaction(async (em) => {
      const terminal = isTerminal(to);
      // A batch's counts come from its settled items, so every end state reports them exactly.
      const items = lease.job.type === 'batch_upsert' ? await itemCounts(em, lease.job.id) : null;
      const rows = await returningRows<{ id: string; attempts: number; queue: string; tenant_id: string }>(
        em,
        `UPDATE jobs SET status = $3, result = coalesce($4::jsonb, result), error = $5::jsonb, updated_at = now(),
                progress = CASE WHEN $3 = 'completed' THEN 100 ELSE progress END,
                processed = coalesce($8, processed), counts = coalesce($9::jsonb, counts),
                finished_at = CASE WHEN $6 THEN now() ELSE NULL END,
                lease_token = CASE WHEN $6 OR $3 = 'queued' THEN NULL ELSE lease_token END
          WHERE id = $1 AND lease_token = $2 AND status = ANY($7::text[]) RETURNING id, attempts, queue, tenant_id`,
        [
          lease.job.id,
          lease.token,
          to,
          outcome.result ? JSON.stringify(outcome.result) : null,
          outcome.error ? JSON.stringify(outcome.error) : null,
          terminal,
          allowedFrom(to),
          items?.processed ?? null,
          items ? JSON.stringify(items.counts) : null,
        ],
      );
      const row = rows[0];
      if (!row) throw new JobLeaseLostError(lease.job.id);
      if (to === 'dead_lettered') {
        const failedAttempts = Number(outcome.eventData?.['attempts'] ?? row.attempts);
        await em.query(
          `INSERT INTO dead_letters (job_id, tenant_id, queue, error, attempts) VALUES ($1, $2, $3, $4::jsonb, $5)
           ON CONFLICT (job_id) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, created_at = now(), replayed_at = NULL`,
          [row.id, row.tenant_id, row.queue, JSON.stringify(outcome.error ?? {}), failedAttempts],
        );
      } else if (terminal) {
        // Staged text is only needed to run the job (a dead letter keeps it for a replay): drop it now.
        await em.query(`UPDATE job_items SET body = '{}'::jsonb WHERE job_id = $1 AND body <> '{}'::jsonb`, [row.id]);
      }
      const eventType: JobEventType = to === 'queued' ? 'queued' : (to as JobEventType);
      return appendJobEvent(em, lease.job.id, eventType, {
        ...(outcome.eventData ?? {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      });
    });
  }

  /** Throws when the lease is no longer this attempt's (used inside write transactions of handlers). */
  async assertLease(q: Queryable, lease: Lease): Promise<void> {
    await assertLeaseHeld(q, lease);
  }
}
