import { JobMessage, QueueName, QueueStatsResponse, TenantId } from '@datafactory/contracts';
import { DeadLettersRepository, JobsRepository } from '@datafactory/jobs';
import { queueDepth } from '@datafactory/queue';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { INGEST_QUEUE } from './queue.providers';

/**
 * Queue statistics. The admin token sees waiting/active/delayed as Redis holds them; a tenant sees its own jobs only
 * (counted from Postgres), so no tenant learns about another's activity.
 */
@Injectable()
export class QueueStatsUseCase {
  constructor(
    @Inject(INGEST_QUEUE) private readonly queue: Queue<JobMessage>,
    private readonly deadLetters: DeadLettersRepository,
    private readonly jobs: JobsRepository,
  ) {}

  async execute(tenantId: TenantId | null): Promise<QueueStatsResponse> {
    const name = QueueName.Ingest;
    const [deadLettered, pg] = await Promise.all([this.deadLetters.count(tenantId, name), this.jobs.queueCounts(name, tenantId)]);
    if (tenantId) {
      return {
        queues: [
          {
            queue: name,
            waiting: pg.queued,
            active: pg.running,
            delayed: pg.retrying,
            failed: pg.failed,
            dead_lettered: deadLettered,
            oldest_waiting_age_seconds: pg.oldestQueuedSeconds,
          },
        ],
      };
    }
    const depth = await queueDepth(this.queue);
    return {
      queues: [
        {
          queue: name,
          waiting: depth.waiting,
          active: depth.active,
          delayed: depth.delayed,
          // Jobs that ended failed (permanent errors), from Postgres; dead letters are counted apart.
          failed: pg.failed,
          dead_lettered: deadLettered,
          oldest_waiting_age_seconds: pg.oldestQueuedSeconds,
        },
      ],
    };
  }
}
