import { JobCounts, JobFailure, JobType } from '@datafactory/contracts';
import { Lease } from '@datafactory/jobs';

export interface JobContext {
  lease: Lease;
  /** True once the worker is shutting down: hand the job back between documents. */
  shouldYield(): boolean;
  /**
   * Records progress (throttled; `force` writes now) and answers whether cancellation was requested.
   * Throws JobLeaseLostError when another attempt has taken the job over.
   */
  progress(
    update: { total?: number; processed?: number; counts?: JobCounts; checkpoint?: Record<string, unknown> },
    force?: boolean,
  ): Promise<boolean>;
}

export type HandlerOutcome =
  | { kind: 'completed'; result: { counts: JobCounts; failures: JobFailure[] } }
  | { kind: 'cancelled'; result: { counts: JobCounts; failures: JobFailure[] } }
  | { kind: 'yielded' };

/** Runs one attempt of a job type. Must be idempotent: an attempt may be a rerun of a crashed one. */
export interface JobHandler {
  readonly type: JobType;
  run(ctx: JobContext): Promise<HandlerOutcome>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
