import { jobEventsChannel } from '@datafactory/contracts';
import { Redis } from 'ioredis';

/**
 * Announces that a job has new events (stored in Postgres) on Redis pub/sub, so SSE streams wake at once.
 * Best effort: a lost announcement only delays a stream until its next poll.
 */
export class JobEventsNotifier {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async notify(jobId: string): Promise<void> {
    await this.redis.publish(jobEventsChannel(this.prefix, jobId), '1').catch(() => undefined);
  }
}
