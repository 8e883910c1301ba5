import { BatchDocument, JobCounts, JobFailure, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { assertLeaseHeld } from './job-lease.repository';
import type { Queryable } from '@datafactory/db';
import type { Lease } from './job-row';

export interface JobItem {
  ordinal: number;
  docId: string;
  body: Omit<BatchDocument, 'doc_id'>;
}

/** How a staged item ended: the document's write outcome, or the error that failed it alone. */
export type ItemSettlement = { outcome: string } | { error: { code: string; message: string } };

export const EMPTY_COUNTS: JobCounts = { created: 0, updated: 0, unchanged: 0, failed: 0 };

/** A job's items by how they ended: `processed` is every settled one; counts by outcome, and failures. */
export async function itemCounts(q: Queryable, jobId: string): Promise<{ processed: number; counts: JobCounts }> {
  const rows = (await q.query(
    `SELECT count(*) FILTER (WHERE status <> 'pending')::int AS processed,
            count(*) FILTER (WHERE outcome = 'created')::int AS created, count(*) FILTER (WHERE outcome = 'updated')::int AS updated,
            count(*) FILTER (WHERE outcome = 'unchanged')::int AS unchanged, count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM job_items WHERE job_id = $1`,
    [jobId],
  )) as Array<{ processed: number } & JobCounts>;
  const r = rows[0] ?? { processed: 0, ...EMPTY_COUNTS };
  return { processed: r.processed, counts: { created: r.created, updated: r.updated, unchanged: r.unchanged, failed: r.failed } };
}

/**
 * The staged documents of batch jobs (`job_items`): which are left to write, settling them under the job's lease
 * in the same transaction as their documents, and what they add up to.
 */
export class JobItemsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Whether another unfinished batch job of the scope still has documents to write (it will index the scope when it ends). */
  async otherBatchesWriting(tenantId: TenantId, namespace: string, jobId: string): Promise<boolean> {
    const rows: Array<{ writing: boolean }> = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = $1 AND j.namespace = $2 AND j.id <> $3 AND j.type = 'batch_upsert'
          AND j.status IN ('queued', 'running', 'retrying')
          AND EXISTS (SELECT 1 FROM job_items i WHERE i.job_id = j.id AND i.status = 'pending')) AS writing`,
      [tenantId, namespace, jobId],
    );
    return rows[0]?.writing === true;
  }

  async pendingItems(jobId: string, afterOrdinal: number, limit: number): Promise<JobItem[]> {
    const rows: Array<{ ordinal: number; doc_id: string; body: JobItem['body'] }> = await this.ds.query(
      `SELECT ordinal, doc_id, body FROM job_items WHERE job_id = $1 AND status = 'pending' AND ordinal > $2 ORDER BY ordinal LIMIT $3`,
      [jobId, afterOrdinal, limit],
    );
    return rows.map((r) => ({ ordinal: r.ordinal, docId: r.doc_id, body: r.body }));
  }

  /**
   * Marks an item done or failed, fenced by the lease. Called inside the document write's transaction, so a
   * document is stored if and only if its item is marked: a rerun skips it, a late worker rolls back.
   */
  async settleItem(q: Queryable, lease: Lease, ordinal: number, settled: ItemSettlement): Promise<void> {
    await this.settleItems(q, lease, [{ ordinal, ...settled }]);
  }

  /** Marks several items in one statement, with the same fencing as settleItem. */
  async settleItems(q: Queryable, lease: Lease, items: Array<{ ordinal: number } & ItemSettlement>): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map((item) => ({
      ordinal: item.ordinal,
      status: 'outcome' in item ? 'done' : 'failed',
      outcome: 'outcome' in item ? item.outcome : null,
      error: 'error' in item ? item.error : null,
    }));
    const settled = (await q.query(
      `WITH s AS (
         UPDATE job_items i SET status = v.status, outcome = v.outcome, error = v.error
           FROM jsonb_to_recordset($3::jsonb) AS v(ordinal int, status text, outcome text, error jsonb)
          WHERE i.job_id = $1 AND i.ordinal = v.ordinal AND i.status = 'pending'
            AND EXISTS (SELECT 1 FROM jobs WHERE id = $1 AND lease_token = $2 AND status = 'running')
         RETURNING 1)
       SELECT count(*)::int AS n FROM s`,
      [lease.job.id, lease.token, JSON.stringify(rows)],
    )) as Array<{ n: number }>;
    if (settled[0]?.n === items.length) return;
    // Not all settled by us: either the lease is gone, or an erasure settled an item (failed, content removed) first.
    await assertLeaseHeld(q, lease);
  }

  async itemSummary(jobId: string): Promise<{ counts: JobCounts; failures: JobFailure[] }> {
    const { counts } = await itemCounts(this.ds, jobId);
    const failures: Array<{ doc_id: string; error: { code: string; message: string } }> = await this.ds.query(
      `SELECT doc_id, error FROM job_items WHERE job_id = $1 AND status = 'failed' ORDER BY ordinal LIMIT 1000`,
      [jobId],
    );
    return { counts, failures: failures.map((f) => ({ doc_id: f.doc_id, code: f.error.code, message: f.error.message })) };
  }
}
