import { JobMessage, JobResponse, TenantId, queueJobId } from '@datafactory/contracts';
import { JobsRepository } from '@datafactory/jobs';
import { JobEventsNotifier } from '@datafactory/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { toJobResponse } from './job.mapper';
import { INGEST_QUEUE } from './queue.providers';

/** Cooperative cancellation: a job not running ends at once (and leaves the queue); a running one is asked to stop. */
@Injectable()
export class CancelJobUseCase {
  private readonly logger = new Logger('cancel');

  constructor(
    private readonly jobs: JobsRepository,
    private readonly notifier: JobEventsNotifier,
    @Inject(INGEST_QUEUE) private readonly queue: Queue<JobMessage>,
  ) {}

  async execute(tenantId: TenantId, jobId: string): Promise<JobResponse> {
    const { job, immediate } = await this.jobs.cancel(tenantId, jobId);
    if (immediate) {
      // If a worker picks it up anyway, its claim fails: the job is no longer runnable.
      await this.queue.remove(queueJobId(job.id, job.generation)).catch((error: unknown) => {
        this.logger.warn(`job ${job.id}: could not remove it from the queue (${(error as Error).message}); its claim will be refused`);
      });
    }
    await this.notifier.notify(job.id);
    return toJobResponse(job);
  }
}
