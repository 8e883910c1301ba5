import {
  databaseConfig,
  internalConfig,
  loadConfig,
  port,
  jobCreationConfig,
  redisConfig,
  retentionConfig,
  runtimeConfig,
  metricsPort,
} from '@datafactory/config';
import { z } from 'zod';

const positive = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const jobOrchestratorConfigSchema = z.object({
  ...runtimeConfig.shape,
  ...metricsPort(9104).shape,
  ...databaseConfig.shape,
  ...redisConfig.shape,
  ...internalConfig.shape,
  ...jobCreationConfig.shape,
  ...retentionConfig.shape,
  JOB_ORCHESTRATOR_PORT: port(8083),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  BATCH_MAX_DOCUMENTS: positive(1000, 100_000),
  /** Batches up to this many documents run at interactive priority. */
  INTERACTIVE_BATCH_MAX: positive(10, 100_000),
  /** Run the outbox relay in this process (turn off to run it elsewhere, or in fault tests). */
  OUTBOX_RELAY_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  OUTBOX_POLL_MS: positive(250, 60_000),
  RECONCILE_INTERVAL_MS: positive(5_000, 600_000),
  /** A job unchanged for this long is checked against the queue (and re-enqueued when Redis lost it). */
  RECONCILE_IDLE_MS: positive(10_000, 3_600_000),
});

export type JobOrchestratorConfig = z.output<typeof jobOrchestratorConfigSchema>;
export const ORCHESTRATOR_CONFIG = Symbol('ORCHESTRATOR_CONFIG');

export function loadJobOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): JobOrchestratorConfig {
  return loadConfig('job-orchestrator', jobOrchestratorConfigSchema, env);
}
