import { JobMessage, QueueName } from '@datafactory/contracts';
import { JobEventsNotifier, createBullConnection, createQueue } from '@datafactory/queue';
import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from '../job-orchestrator.config';

export const INGEST_QUEUE = Symbol('INGEST_QUEUE');

export const queueProviders: Provider[] = [
  {
    provide: INGEST_QUEUE,
    useFactory: (config: JobOrchestratorConfig) =>
      createQueue(QueueName.Ingest, createBullConnection(config.REDIS_URL, 'datafactory-orchestrator-queue'), {
        prefix: config.QUEUE_PREFIX,
      }),
    inject: [ORCHESTRATOR_CONFIG],
  },
  {
    provide: JobEventsNotifier,
    useFactory: (redis: Redis, config: JobOrchestratorConfig) => new JobEventsNotifier(redis, config.QUEUE_PREFIX),
    inject: [Redis, ORCHESTRATOR_CONFIG],
  },
];

@Injectable()
export class QueueCloser implements OnApplicationShutdown {
  constructor(@Inject(INGEST_QUEUE) private readonly queue: Queue<JobMessage>) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    this.queue.disconnect().catch(() => undefined);
  }
}
