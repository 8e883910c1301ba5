import { Redis } from 'ioredis';

/**
 * The Redis channel on which a job's creator tells the outbox relay (in job-orchestrator) to publish now rather
 * than at its next poll. A lost message only delays the job until that poll.
 */
export function outboxKickChannel(prefix: string): string {
  return `${prefix}:outbox:kick`;
}

/** Tells the outbox relay (wherever it runs) to publish now; a failure only delays delivery until its next poll. */
export async function kickOutbox(redis: Redis, prefix: string): Promise<void> {
  await redis.publish(outboxKickChannel(prefix), '1').catch(() => undefined);
}
