import {
  databaseConfig,
  governanceKeyConfig,
  internalConfig,
  jobCreationConfig,
  loadConfig,
  port,
  redisConfig,
  retentionConfig,
  runtimeConfig,
  metricsPort,
} from '@datafactory/config';
import { z } from 'zod';

export const governanceConfigSchema = z.object({
  ...runtimeConfig.shape,
  ...metricsPort(9105).shape,
  ...databaseConfig.shape,
  ...redisConfig.shape,
  ...internalConfig.shape,
  ...governanceKeyConfig.shape,
  ...retentionConfig.shape,
  ...jobCreationConfig.shape,
  GOVERNANCE_PORT: port(8084),
});

export type GovernanceConfig = z.output<typeof governanceConfigSchema>;

export function loadGovernanceConfig(env: NodeJS.ProcessEnv = process.env): GovernanceConfig {
  return loadConfig('governance', governanceConfigSchema, env);
}

export const GOVERNANCE_CONFIG = Symbol('GOVERNANCE_CONFIG');
