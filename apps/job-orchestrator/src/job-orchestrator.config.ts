import { databaseConfig, internalConfig, loadConfig, port, redisConfig, runtimeConfig } from '@datafactory/config';
import { z } from 'zod';

export const jobOrchestratorConfigSchema = z.object({
  ...runtimeConfig.shape,
  ...databaseConfig.shape,
  ...redisConfig.shape,
  ...internalConfig.shape,
  JOB_ORCHESTRATOR_PORT: port(8083),
});

export type JobOrchestratorConfig = z.output<typeof jobOrchestratorConfigSchema>;

export function loadJobOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): JobOrchestratorConfig {
  return loadConfig('job-orchestrator', jobOrchestratorConfigSchema, env);
}
