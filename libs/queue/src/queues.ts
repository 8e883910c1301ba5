import { JobMessage, JobPriority, QueueName, queueJobId } from '@datafactory/contracts';
import { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

export interface QueueSettings {
  prefix: string;
  maxAttempts: number;
}

/** A producer for one queue. Failing fast matters more than buffering: Postgres holds the truth. */
export function createQueue(name: QueueName, connection: Redis, settings: QueueSettings): Queue<JobMessage> {
  return new Queue<JobMessage>(name, { connection, prefix: settings.prefix });
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
