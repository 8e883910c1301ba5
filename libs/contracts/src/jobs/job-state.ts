/**
 * The job state machine. Every change of a job's status is one of these transitions, recorded as a job
 * event; Postgres refuses any other (the trigger of migration 1763970000000, whose table a test keeps equal
 * to this one), and the repository's UPDATEs only match the allowed "from" states.
 *
 *   queued ─► running ─► completed | failed | cancelled | dead_lettered
 *                │  ▲
 *                ▼  │ (next attempt)
 *             retrying ─► cancelled | dead_lettered
 *   queued ─► cancelled          dead_lettered ─► queued (replay)
 *   running ─► queued (handed back on shutdown)
 */
export const JOB_STATUSES = ['queued', 'running', 'retrying', 'completed', 'failed', 'cancelled', 'dead_lettered'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'dead_lettered'];

const ALLOWED_FROM: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'dead_lettered'],
  running: ['queued', 'running', 'retrying'],
  retrying: ['running'],
  completed: ['running'],
  failed: ['running'],
  cancelled: ['queued', 'running', 'retrying'],
  dead_lettered: ['running', 'retrying'],
};

/** The statuses a job may be in for a transition to `to`. */
export function allowedFrom(to: JobStatus): readonly JobStatus[] {
  return ALLOWED_FROM[to];
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return ALLOWED_FROM[to].includes(from);
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export const JOB_TYPES = ['batch_upsert', 'index_rebuild', 'erasure', 'retention_sweep'] as const;
export type JobType = (typeof JOB_TYPES)[number];

export const JOB_EVENT_TYPES = [
  'queued',
  'started',
  'progress',
  'retrying',
  'cancel_requested',
  'completed',
  'failed',
  'cancelled',
  'dead_lettered',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];
export const TERMINAL_EVENT_TYPES: readonly JobEventType[] = ['completed', 'failed', 'cancelled', 'dead_lettered'];
