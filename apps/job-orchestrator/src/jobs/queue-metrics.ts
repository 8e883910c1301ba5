import { JobMessage, QueueName } from '@datafactory/contracts';
import { DeadLettersRepository, OutboxRepository } from '@datafactory/jobs';
import { queueDepth } from '@datafactory/queue';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { INGEST_QUEUE } from './queue.providers';

/** Queue depth, dead letters and outbox lag, read when Prometheus scrapes. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly deadLetters: DeadLettersRepository,
    private readonly outbox: OutboxRepository,
    @Inject(INGEST_QUEUE) private readonly queue: Queue<JobMessage>,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('worker_queue_length', 'Jobs in the queue by state', ['queue', 'state'], async (set) => {
      const depth = await queueDepth(this.queue);
      for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) set({ queue: QueueName.Ingest, state }, depth[state]);
    });
    this.metrics.gauge('dead_letter_queue_size', 'Dead-lettered jobs not yet replayed', ['queue'], async (set) =>
      set({ queue: QueueName.Ingest }, await this.deadLetters.count(null, QueueName.Ingest)),
    );
    this.metrics.gauge('outbox_lag_seconds', 'Age of the oldest outbox row not yet published (0 when none)', [], async (set) =>
      set({}, (await this.outbox.lagSeconds()) ?? 0),
    );
  }
}
