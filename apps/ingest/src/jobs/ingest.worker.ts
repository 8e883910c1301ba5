import { AppError, JOB_TYPES, JobError, JobMessage, QueueName, asTenantId } from '@datafactory/contracts';
import { JobLeaseLostError, JobLeaseRepository, Lease } from '@datafactory/jobs';
import { JobEventsNotifier, RetryPolicy, createBullConnection, retryDelayMs } from '@datafactory/queue';
import { StartupError, runWithContext, traceFrom } from '@datafactory/service-kit';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Metrics } from '@datafactory/telemetry';
import { SpanKind, inSpan, messagingAttributes } from '@datafactory/telemetry/tracing';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';
import { HandlerOutcome, JOB_HANDLERS, JobContext, JobHandler } from './job-handler';

const PROGRESS_WRITE_MS = 250;
const PROGRESS_EVENT_MS = 1_000;
const HANDBACK_DELAY_MS = 500;

/** A transient failure: the queue retries after `retryDelayMs` (our backoff, recorded in the job event). */
class RetryableJobError extends Error {
  constructor(
    message: string,
    readonly retryDelayMs: number,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableJobError';
  }
}

/**
 * Runs ingest-queue jobs. Postgres decides: an attempt first claims the job (fresh lease), every write is
 * fenced by that lease, and the outcome — completed, failed (permanent error), retrying with backoff,
 * dead-lettered after the last attempt, cancelled, or handed back at shutdown — is a job transition.
 */
@Injectable()
export class IngestWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ingest-worker');
  private worker: Worker<JobMessage> | undefined;
  private shuttingDown = false;
  private readonly handlers: Map<string, JobHandler>;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly leases: JobLeaseRepository,
    private readonly notifier: JobEventsNotifier,
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: Metrics,
  ) {
    this.handlers = new Map(handlers.map((h) => [h.type, h]));
    this.policy = { baseMs: config.RETRY_BASE_MS, factor: config.RETRY_FACTOR, jitter: 0.2 };
  }

  onApplicationBootstrap(): void {
    // Like a job registry: refuse to start with a job type nobody can run.
    const missing = JOB_TYPES.filter((t) => !this.handlers.has(t));
    if (missing.length > 0) throw new StartupError(`no handler for job type(s): ${missing.join(', ')}`);
    if (!this.config.WORKER_ENABLED) {
      this.logger.log('queue worker disabled (WORKER_ENABLED=false)');
      return;
    }
    this.worker = new Worker<JobMessage>(QueueName.Ingest, (job, token) => this.process(job, token), {
      connection: createBullConnection(this.config.REDIS_URL, 'datafactory-ingest-worker'),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      lockDuration: this.config.WORKER_LOCK_MS,
      stalledInterval: this.config.WORKER_STALLED_INTERVAL_MS,
      // A stalled job (its worker died or stopped) goes back to the queue; attempts count failures only.
      maxStalledCount: 1_000,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          err instanceof RetryableJobError ? err.retryDelayMs : retryDelayMs(attemptsMade, this.policy),
      },
    });
    this.worker.on('error', (error) => this.logger.warn(`queue connection: ${error.message}`));
  }

  /**
   * SIGTERM: stop taking jobs, let active ones hand back between documents, then close — before the
   * database pool and Redis clients are closed in onApplicationShutdown.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.worker?.close();
  }

  private async process(job: Job<JobMessage>, token: string | undefined): Promise<unknown> {
    const message = job.data;
    const started = performance.now();
    try {
      // A consumer span, child of the relay's producer span (the traceparent in the message): the job's database
      // work appears under it, in the trace of the request that submitted the job.
      return await inSpan(
        `process ${QueueName.Ingest}`,
        {
          kind: SpanKind.CONSUMER,
          parent: message.traceparent,
          attributes: {
            ...messagingAttributes(QueueName.Ingest, message.jobId, message.type),
            'datafactory.job.attempt': job.attemptsMade + 1,
          },
          expected: (error) => error instanceof DelayedError,
        },
        () =>
          runWithContext({ requestId: `job:${message.jobId}`, ...traceFrom(message.traceparent) }, () => this.attempt(job, token, message)),
      );
    } finally {
      this.metrics.workerProcessingDuration.observe({ queue: QueueName.Ingest }, (performance.now() - started) / 1000);
    }
  }

  private async attempt(job: Job<JobMessage>, token: string | undefined, message: JobMessage): Promise<unknown> {
    const claimed = await this.leases.claim(asTenantId(message.tenantId), message.jobId);
    if (!claimed) return { skipped: 'the job is finished, cancelled or unknown' };
    const lease = claimed.lease;
    await this.notifier.notify(lease.job.id);

    const handler = this.handlers.get(message.type);
    if (!handler) throw new UnrecoverableError(`no handler for job type ${message.type}`);
    let outcome: HandlerOutcome;
    try {
      outcome = lease.job.cancelRequested
        ? { kind: 'cancelled', result: { counts: lease.job.counts, failures: [] } }
        : await handler.run(this.context(lease));
    } catch (error) {
      throw await this.failed(job, lease, error);
    }

    if (outcome.kind === 'yielded') {
      await this.end(lease, 'queued', { eventData: { reason: 'handed back: the worker is shutting down' } });
      await job.moveToDelayed(Date.now() + HANDBACK_DELAY_MS, token);
      throw new DelayedError();
    }
    if (outcome.kind === 'cancelled') {
      await this.end(lease, 'cancelled', { result: outcome.result, eventData: { counts: outcome.result.counts } });
      return { cancelled: true };
    }
    await this.end(lease, 'completed', { result: outcome.result, eventData: { counts: outcome.result.counts } });
    return { completed: true };
  }

  private context(lease: Lease): JobContext {
    let lastWrite = 0;
    let lastEvent = 0;
    let cancelRequested = false;
    return {
      lease,
      shouldYield: () => this.shuttingDown,
      progress: async (update, force = false) => {
        const now = Date.now();
        if (!force && now - lastWrite < PROGRESS_WRITE_MS) return cancelRequested;
        const event = force || now - lastEvent >= PROGRESS_EVENT_MS;
        const res = await this.leases.progress(lease, { ...update, event });
        lastWrite = now;
        if (event) {
          lastEvent = now;
          await this.notifier.notify(lease.job.id);
        }
        cancelRequested = res.cancelRequested;
        return cancelRequested;
      },
    };
  }

  /** Decides what a failed attempt means and returns what to throw to BullMQ. */
  private async failed(job: Job<JobMessage>, lease: Lease, error: unknown): Promise<Error> {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err instanceof JobLeaseLostError) {
      // Another attempt owns the job now; leave its state alone and do not retry this one.
      this.logger.warn(err.message);
      return new UnrecoverableError(err.message);
    }
    const jobError: JobError = {
      code: err instanceof AppError ? err.code : 'job_failed',
      message: err.message.slice(0, 500),
      class: err instanceof AppError ? err.code : err.name,
    };
    const permanent = err instanceof UnrecoverableError || (err instanceof AppError && !err.transient);
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? lease.job.maxAttempts;
    try {
      if (permanent) {
        await this.end(lease, 'failed', { error: jobError, eventData: { attempt } });
        return new UnrecoverableError(err.message);
      }
      if (attempt >= maxAttempts) {
        await this.end(lease, 'dead_lettered', { error: jobError, eventData: { attempts: attempt } });
        return new UnrecoverableError(err.message);
      }
      const delay = retryDelayMs(attempt, this.policy);
      await this.end(lease, 'retrying', { error: jobError, eventData: { attempt, next_attempt: attempt + 1, delay_ms: delay } });
      return new RetryableJobError(err.message, delay, { cause: err });
    } catch (stateError) {
      // Could not record the outcome (Postgres down?): let the queue retry; the next attempt claims afresh.
      this.logger.warn(`job ${lease.job.id}: could not record the failed attempt (${(stateError as Error).message})`);
      return err;
    }
  }

  private async end(
    lease: Lease,
    to: Parameters<JobLeaseRepository['finishAttempt']>[1],
    outcome: Parameters<JobLeaseRepository['finishAttempt']>[2],
  ): Promise<void> {
    await this.leases.finishAttempt(lease, to, outcome);
    this.metrics.workerJobs.inc({ queue: QueueName.Ingest, status: to });
    await this.notifier.notify(lease.job.id);
  }
}
