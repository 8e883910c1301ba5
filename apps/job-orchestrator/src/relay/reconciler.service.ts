import { JobMessage, queueJobId } from '@datafactory/contracts';
import { JobRow, JobsRepository } from '@datafactory/jobs';
import { enqueue } from '@datafactory/queue';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from '../job-orchestrator.config';
import { INGEST_QUEUE } from '../jobs/queue.providers';

/**
 * Postgres is the system of record, Redis only delivers. Jobs that Postgres says are unfinished but the
 * queue no longer holds (Redis restarted empty, a failed publish, a lost delayed retry) are put back.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('reconciler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly jobs: JobsRepository,
    @Inject(INGEST_QUEUE) private readonly queue: Queue<JobMessage>,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: JobOrchestratorConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.OUTBOX_RELAY_ENABLED) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.pass().finally(() => (this.running = undefined));
    }, this.config.RECONCILE_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many jobs were re-enqueued. */
  async pass(): Promise<number> {
    let requeued = 0;
    try {
      for (const job of await this.jobs.stale(this.config.RECONCILE_IDLE_MS, 200)) {
        if (await this.ensureQueued(job)) requeued++;
        await this.jobs.touch(job.id);
      }
    } catch (error) {
      this.logger.warn(`reconcile pass failed, will retry: ${(error as Error).message}`);
    }
    return requeued;
  }

  private async ensureQueued(job: JobRow): Promise<boolean> {
    const id = queueJobId(job.id, job.generation);
    const existing = await this.queue.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed') return false;
      // The queue finished with it, Postgres did not (its final write was lost): run it again.
      await existing.remove();
    }
    await enqueue(this.queue, { ...job, jobId: job.id }, job.traceContext);
    this.logger.warn(`job ${job.id} (${job.status}) was missing from the queue; re-enqueued`);
    return true;
  }
}
