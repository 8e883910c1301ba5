import { AppError, ErrorCode, TenantId } from '@datafactory/contracts';
import { JobRow } from './job-row';
import { JobsRepository } from './jobs.repository';
import { pingRedis } from '@datafactory/queue';
import { Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { JobOrigin, JobSpec, newJob } from './job-spec';
import { kickOutbox } from './outbox-kick';

export interface JobCreationSettings {
  QUEUE_PREFIX: string;
  JOB_MAX_ATTEMPTS: number;
}

export interface CreatedJob {
  job: JobRow;
  /** False when an idempotent retry found the job created the first time. */
  created: boolean;
}

export interface CreateOptions {
  /** Refuse with queue_unavailable while Redis does not answer (default true). */
  checkQueue?: boolean;
}

/** Creates a job inside the caller's transaction. */
export type CreateJob = (spec: JobSpec, origin?: JobOrigin) => Promise<CreatedJob>;

/**
 * The one way services create jobs (job-orchestrator's API and retention scheduler, governance's erasures and
 * sweeps). It owns what every job needs: the queue must be reachable, every job gets JOB_MAX_ATTEMPTS, the job,
 * its staged documents and its outbox row commit together with the caller's own rows, and the outbox relay is
 * told at once. Once the caller has the job, it runs even if this process, Redis or a worker dies afterwards.
 */
export class JobService {
  constructor(
    private readonly ds: DataSource,
    private readonly jobs: JobsRepository,
    private readonly redis: Redis,
    private readonly settings: JobCreationSettings,
  ) {}

  /**
   * `checkQueue: false` is for background callers (the retention scheduler): the job is stored and the outbox
   * delivers it once Redis is back, instead of the whole round being refused.
   */
  create(tenantId: TenantId, spec: JobSpec, origin: JobOrigin = {}, opts: CreateOptions = {}): Promise<CreatedJob> {
    return this.createWith(tenantId, (_tx, create) => create(spec, origin), opts);
  }

  /**
   * Runs `work` in one transaction with a `create` bound to it: the caller's rows and its jobs commit or roll back
   * together (an erasure request never exists without its job).
   */
  async createWith<T>(
    tenantId: TenantId,
    work: (tx: EntityManager, create: CreateJob) => Promise<T>,
    opts: CreateOptions = {},
  ): Promise<T> {
    // Refuse new work while the queue is unreachable, so clients back off; accepted work is safe in Postgres.
    if (opts.checkQueue !== false) {
      await pingRedis(this.redis).catch((error: unknown) => {
        throw new AppError(ErrorCode.QueueUnavailable, 'the job queue (Redis) is unavailable; retry in a few seconds', { cause: error });
      });
    }
    let created = false;
    const result = await this.ds.transaction((tx) =>
      work(tx, async (spec, origin = {}) => {
        const res = await this.jobs.create(tenantId, newJob(spec, origin, this.settings.JOB_MAX_ATTEMPTS), tx);
        created ||= res.created;
        return res;
      }),
    );
    if (created) await kickOutbox(this.redis, this.settings.QUEUE_PREFIX);
    return result;
  }
}

/** The Nest provider of {@link JobService}; the module must also provide JobsRepository and the Redis client. */
export function jobServiceProvider(settings: JobCreationSettings): Provider {
  return {
    provide: JobService,
    useFactory: (ds: DataSource, jobs: JobsRepository, redis: Redis) => new JobService(ds, jobs, redis, settings),
    inject: [DataSource, JobsRepository, Redis],
  };
}
