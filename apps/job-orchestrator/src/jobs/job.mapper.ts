import { DeadLetter, JobEvent, JobResponse } from '@datafactory/contracts';
import { DeadLetterRow, JobEventRow, JobRow } from '@datafactory/jobs';

export function toJobResponse(job: JobRow): JobResponse {
  return {
    job_id: job.id,
    type: job.type,
    status: job.status,
    namespace: job.namespace,
    progress: job.progress,
    total: job.total,
    processed: job.processed,
    counts: job.counts,
    result: job.result,
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    cancel_requested: job.cancelRequested,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

export function toJobEvent(e: JobEventRow): JobEvent {
  return { id: e.seq, job_id: e.jobId, type: e.type, data: e.data as JobEvent['data'], created_at: e.createdAt.toISOString() };
}

export function toDeadLetter(d: DeadLetterRow): DeadLetter {
  return {
    job_id: d.jobId,
    tenant_id: d.tenantId,
    type: d.type,
    namespace: d.namespace,
    queue: d.queue,
    error: d.error,
    attempts: d.attempts,
    dead_lettered_at: d.createdAt.toISOString(),
  };
}
