import {
  CHUNKING_FIELDS,
  EMBEDDING_FIELDS,
  checkChunkingConfig,
  checkEmbeddingConfig,
  chunkingConfig,
  databaseConfig,
  embeddingConfig,
  governanceKeyConfig,
  retentionConfig,
  internalConfig,
  redisConfig,
  loadConfig,
  port,
  queueConfig,
  retryConfig,
  runtimeConfig,
  whenFieldsValid,
  workerConfig,
  metricsPort,
  vectorIndexConfig,
} from '@datafactory/config';
import { z } from 'zod';

export const ingestConfigSchema = z
  .object({
    ...runtimeConfig.shape,
    ...metricsPort(9102).shape,
    ...databaseConfig.shape,
    ...redisConfig.shape,
    ...internalConfig.shape,
    ...embeddingConfig.shape,
    ...chunkingConfig.shape,
    ...governanceKeyConfig.shape,
    ...retentionConfig.shape,
    ...queueConfig.shape,
    ...retryConfig.shape,
    ...workerConfig.shape,
    ...vectorIndexConfig.shape,
    INGEST_PORT: port(8081),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
  })
  .superRefine(
    (c, ctx) => {
      checkEmbeddingConfig(c, ctx);
      checkChunkingConfig(c, ctx);
    },
    whenFieldsValid(...EMBEDDING_FIELDS, ...CHUNKING_FIELDS),
  );

export type IngestConfig = z.output<typeof ingestConfigSchema>;
export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  return loadConfig('ingest', ingestConfigSchema, env);
}
