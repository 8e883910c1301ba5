import type { Queryable } from '@datafactory/db';
import type { Lease } from './jobs.repository';

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
