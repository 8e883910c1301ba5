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
