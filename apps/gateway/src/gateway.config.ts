import {
  databaseConfig,
  gatewayOnlyConfig,
  internalConfig,
  loadConfig,
  queueConfig,
  redisConfig,
  runtimeConfig,
  serviceUrlsConfig,
  metricsPort,
} from '@datafactory/config';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  ...runtimeConfig.shape,
  ...metricsPort(9101).shape,
  ...databaseConfig.shape,
  ...redisConfig.shape,
  ...internalConfig.shape,
  ...serviceUrlsConfig.shape,
  ...gatewayOnlyConfig.shape,
  ...queueConfig.shape,
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig('gateway', gatewayConfigSchema, env);
}
