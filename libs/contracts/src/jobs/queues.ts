import { JobType } from './job-state';

/** BullMQ queue names. Payloads carry ids only: document text travels through Postgres. */
export const QueueName = {
  Ingest: 'ingest',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** interactive > batch > maintenance (BullMQ: a lower number runs first). */
export const JobPriority = { Interactive: 1, Batch: 5, Maintenance: 10 } as const;
export type JobPriority = (typeof JobPriority)[keyof typeof JobPriority];

/** The message on the queue: which job to run, for which tenant, in which trace. */
export interface JobMessage {
  jobId: string;
  tenantId: string;
  type: JobType;
  generation: number;
  traceparent?: string;
}

/** Deterministic BullMQ job id: publishing the same job twice is a no-op; a replay is a new generation. */
export function queueJobId(jobId: string, generation: number): string {
  return `${jobId}.g${generation}`;
}

/** Redis pub/sub channel on which a job's new events are announced (the events themselves are in Postgres). */
export function jobEventsChannel(prefix: string, jobId: string): string {
  return `${prefix}:job-events:${jobId}`;
}
