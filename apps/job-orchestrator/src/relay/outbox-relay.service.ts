import { JobMessage, QueueName } from '@datafactory/contracts';
import { SpanKind, inSpan, messagingAttributes } from '@datafactory/telemetry/tracing';
import { JobsRepository, outboxKickChannel, OutboxMessage, OutboxRepository } from '@datafactory/jobs';
import { JobEventsNotifier, enqueue } from '@datafactory/queue';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from '../job-orchestrator.config';
import { INGEST_QUEUE } from '../jobs/queue.providers';

const QUEUE_ADD_TIMEOUT_MS = 5_000;

/**
 * Publishes outbox rows to BullMQ. Polls, and is kicked (over Redis, by JobService) right after a job is accepted. A row is marked
 * published only after the queue took the message; a crash in between publishes it again, which the
 * deterministic queue job id turns into a no-op.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('outbox-relay');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private subscriber: Redis | undefined;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly jobs: JobsRepository,
    private readonly notifier: JobEventsNotifier,
    @Inject(INGEST_QUEUE) private readonly queue: Queue<JobMessage>,
    @Inject(Redis) private readonly redis: Redis,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: JobOrchestratorConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.OUTBOX_RELAY_ENABLED) {
      this.logger.warn('outbox relay disabled (OUTBOX_RELAY_ENABLED=false): accepted jobs wait for a relay elsewhere');
      return;
    }
    this.listenForKicks();
    this.schedule(0);
  }

  /** JobService (in any service) publishes on the kick channel when it has created a job. */
  private listenForKicks(): void {
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('error', () => undefined); // reconnects by itself; until then the poll carries on
    subscriber.on('message', () => this.kick());
    subscriber.subscribe(outboxKickChannel(this.config.QUEUE_PREFIX)).catch((error: unknown) => {
      this.logger.warn(`cannot listen for job kicks (${(error as Error).message}); jobs are published at the next poll`);
    });
    this.subscriber = subscriber;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscriber?.disconnect();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Publish now rather than at the next poll. */
  kick(): void {
    if (!this.config.OUTBOX_RELAY_ENABLED || this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = undefined;
        const again = this.again;
        this.again = false;
        this.schedule(again ? 0 : this.config.OUTBOX_POLL_MS);
      });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.outbox.publishPending(100, (messages) => this.publish(messages))) > 0) {
        // keep going while there is a backlog
      }
    } catch (error) {
      this.logger.warn(`publishing failed, will retry: ${(error as Error).message}`);
    }
  }

  private async publish(messages: OutboxMessage[]): Promise<void> {
    for (const m of messages) {
      if (m.status !== 'queued') continue; // cancelled before it was published
      // A producer span in the job's trace (the request that accepted it): the worker's span is its child, so the
      // outbox hop shows in the trace even though it happens after that request has ended.
      await inSpan(
        `publish ${QueueName.Ingest}`,
        {
          kind: SpanKind.PRODUCER,
          parent: m.traceContext ?? undefined,
          attributes: messagingAttributes(QueueName.Ingest, m.jobId, m.type),
        },
        async (traceparent) => {
          const position = await this.jobs.queuePosition(m.jobId);
          await this.jobs.transaction((em) => this.jobs.recordEvent(em, m.jobId, 'queued', { position, generation: m.generation }));
          await withTimeout(enqueue(this.queue, m, traceparent ?? m.traceContext), QUEUE_ADD_TIMEOUT_MS, 'queue.add');
          await this.notifier.notify(m.jobId);
        },
      );
    }
  }
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
