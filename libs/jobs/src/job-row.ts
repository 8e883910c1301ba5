import { BatchDocument, JobCounts, JobError, JobEventType, JobFailure, JobStatus, JobType, TenantId } from '@datafactory/contracts';
import { Queryable } from '@datafactory/db';
import { EMPTY_COUNTS } from './job-items.repository';

export interface JobRow {
  id: string;
  tenantId: TenantId;
  type: JobType;
  status: JobStatus;
  queue: string;
  priority: number;
  namespace: string;
  params: Record<string, unknown>;
  total: number;
  processed: number;
  progress: number;
  counts: JobCounts;
  result: { counts: JobCounts; failures: JobFailure[] } | null;
  error: JobError | null;
  attempts: number;
  maxAttempts: number;
  generation: number;
  cancelRequested: boolean;
  traceContext: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface JobEventRow {
  jobId: string;
  seq: number;
  type: JobEventType;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface NewJob {
  type: JobType;
  namespace: string;
  queue: string;
  priority: number;
  maxAttempts: number;
  params?: Record<string, unknown>;
  documents?: BatchDocument[];
  idempotencyKey?: string;
  requestHash?: string;
  traceContext?: string;
}

export interface Lease {
  token: string;
  attempt: number;
  job: JobRow;
}

export function toJob(r: Record<string, unknown>): JobRow {
  return {
    id: r['id'] as string,
    tenantId: r['tenant_id'] as TenantId,
    type: r['type'] as JobType,
    status: r['status'] as JobStatus,
    queue: r['queue'] as string,
    priority: Number(r['priority']),
    namespace: r['namespace'] as string,
    params: (r['params'] as Record<string, unknown>) ?? {},
    total: Number(r['total']),
    processed: Number(r['processed']),
    progress: Number(r['progress']),
    counts: (r['counts'] as JobCounts) ?? EMPTY_COUNTS,
    result: (r['result'] as JobRow['result']) ?? null,
    error: (r['error'] as JobError | null) ?? null,
    attempts: Number(r['attempts']),
    maxAttempts: Number(r['max_attempts']),
    generation: Number(r['generation']),
    cancelRequested: Boolean(r['cancel_requested']),
    traceContext: (r['trace_context'] as string | null) ?? null,
    createdAt: r['created_at'] as Date,
    updatedAt: r['updated_at'] as Date,
    startedAt: (r['started_at'] as Date | null) ?? null,
    finishedAt: (r['finished_at'] as Date | null) ?? null,
  };
}

/** Appends an event; callers hold the job row's lock (they updated it in the same transaction). */
export async function appendJobEvent(q: Queryable, jobId: string, type: JobEventType, data: Record<string, unknown> = {}): Promise<number> {
  const rows = (await q.query(
    `INSERT INTO job_events (job_id, seq, type, data)
     SELECT $1, coalesce(max(seq), 0) + 1, $2, $3::jsonb FROM job_events WHERE job_id = $1 RETURNING seq`,
    [jobId, type, JSON.stringify(data)],
  )) as Array<{ seq: number }>;
  return Number(rows[0]?.seq);
}
