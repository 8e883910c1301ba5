import { JobMessage, JobPriority, QueueName, queueJobId } from '@datafactory/contracts';
import { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

export interface QueueSettings {
  prefix: string;
}

/** A producer for one queue. Failing fast matters more than buffering: Postgres holds the truth. */
export function createQueue(name: QueueName, connection: Redis, settings: QueueSettings): Queue<JobMessage> {
  return new Queue<JobMessage>(name, { connection, prefix: settings.prefix });
}

/** What a job needs to be queued; its attempts and priority are the job's own (stored with it). */
export interface QueuedJob {
  jobId: string;
  tenantId: string;
  type: JobMessage['type'];
  generation: number;
  priority: number;
  maxAttempts: number;
}

/**
 * Adds the job's message under its deterministic id (a second add of the same generation is a no-op), carrying
 * the W3C trace context the job's spans continue.
 */
export async function enqueue(queue: Queue<JobMessage>, job: QueuedJob, traceparent?: string | null): Promise<void> {
  const message: JobMessage = {
    jobId: job.jobId,
    tenantId: job.tenantId,
    type: job.type,
    generation: job.generation,
    ...(traceparent ? { traceparent } : {}),
  };
  await queue.add(job.type, message, jobOptions(message, job.priority as JobPriority, job.maxAttempts));
}

export function jobOptions(message: JobMessage, priority: JobPriority, maxAttempts: number): JobsOptions {
  return {
    jobId: queueJobId(message.jobId, message.generation),
    priority,
    attempts: maxAttempts,
    backoff: { type: 'datafactory' },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Jobs in a queue by state as Redis holds them; prioritized jobs are waiting too. */
export async function queueDepth(queue: Queue<JobMessage>): Promise<QueueDepth> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
  return {
    waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0),
    active: c['active'] ?? 0,
    delayed: c['delayed'] ?? 0,
    failed: c['failed'] ?? 0,
  };
}
