import {
  EMBEDDING_FIELDS,
  checkEmbeddingConfig,
  databaseConfig,
  embeddingConfig,
  internalConfig,
  redisConfig,
  loadConfig,
  port,
  runtimeConfig,
  searchTuningConfig,
  whenFieldsValid,
  metricsPort,
} from '@datafactory/config';
import type { SearchTuning } from '@datafactory/search-data';
import { z } from 'zod';

export const searchConfigSchema = z
  .object({
    ...runtimeConfig.shape,
    ...metricsPort(9103).shape,
    ...databaseConfig.shape,
    ...redisConfig.shape,
    ...internalConfig.shape,
    ...embeddingConfig.shape,
    ...searchTuningConfig.shape,
    SEARCH_PORT: port(8082),
    QUERY_EMBEDDING_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  })
  .superRefine(checkEmbeddingConfig, whenFieldsValid(...EMBEDDING_FIELDS));

export type SearchConfig = z.output<typeof searchConfigSchema>;
export const SEARCH_CONFIG = Symbol('SEARCH_CONFIG');

/** The HNSW settings of a search that asks for no more than the configured candidates. */
export function searchTuning(config: SearchConfig): SearchTuning {
  return { efSearch: config.SEARCH_EF_SEARCH, maxScanTuples: config.SEARCH_MAX_SCAN_TUPLES };
}

export function loadSearchConfig(env: NodeJS.ProcessEnv = process.env): SearchConfig {
  return loadConfig('search', searchConfigSchema, env);
}
