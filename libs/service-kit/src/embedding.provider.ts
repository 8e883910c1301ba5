import { EmbeddingProvider, createEmbeddingProvider } from '@datafactory/embedding';
import { Provider } from '@nestjs/common';
import { Metrics } from '@datafactory/telemetry';
import { embeddingConfig } from '@datafactory/config';
import { z } from 'zod';

export const EMBEDDING_PROVIDER = Symbol('EMBEDDING_PROVIDER');

/** The configured embedder (hash by default, any OpenAI-compatible endpoint otherwise); shared by ingest and search. */
export function embeddingProvider(config: z.output<typeof embeddingConfig>): Provider<EmbeddingProvider> {
  return {
    provide: EMBEDDING_PROVIDER,
    inject: [Metrics],
    useFactory: (metrics: Metrics) =>
      createEmbeddingProvider({
        onCall: (outcome, info) => {
          metrics.embeddingCalls.inc({ provider: config.EMBEDDING_PROVIDER, outcome });
          metrics.embeddingDuration.observe({ provider: config.EMBEDDING_PROVIDER }, info.durationMs / 1000);
          metrics.embeddingBatchSize.observe({ provider: config.EMBEDDING_PROVIDER }, info.batchSize);
        },
        provider: config.EMBEDDING_PROVIDER,
        ...(config.EMBEDDING_BASE_URL ? { baseUrl: config.EMBEDDING_BASE_URL } : {}),
        ...(config.EMBEDDING_MODEL ? { model: config.EMBEDDING_MODEL } : {}),
        ...(config.EMBEDDING_DIMENSIONS ? { dimensions: config.EMBEDDING_DIMENSIONS } : {}),
        ...(config.EMBEDDING_API_KEY ? { apiKey: config.EMBEDDING_API_KEY } : {}),
        ...(config.EMBEDDING_AZURE_API_VERSION ? { azureApiVersion: config.EMBEDDING_AZURE_API_VERSION } : {}),
        batchSize: config.EMBEDDING_BATCH_SIZE,
        concurrency: config.EMBEDDING_CONCURRENCY,
        maxRetries: config.EMBEDDING_MAX_RETRIES,
        timeoutMs: config.EMBEDDING_TIMEOUT_MS,
      }),
  };
}
