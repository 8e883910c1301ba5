import type { EmbeddingProvider } from './embedding-provider';
import { DEFAULT_HASH_MODEL, type EmbeddingSettings } from './embedding.settings';
import { HashEmbeddingProvider } from './hash-embedding.provider';
import { OpenAiEmbeddingProvider, type OpenAiEmbeddingDeps } from './openai-embedding.provider';

/** Builds the configured provider, failing fast (at startup) on invalid settings. */
export function createEmbeddingProvider(settings: EmbeddingSettings, deps?: OpenAiEmbeddingDeps): EmbeddingProvider {
  switch (settings.provider) {
    case 'hash': {
      // fh-v1 is the only hash model; accepting another name would mislabel the vector version.
      if (settings.model !== undefined && settings.model !== DEFAULT_HASH_MODEL) {
        throw new Error(`EMBEDDING_MODEL "${settings.model}" is not supported by the hash provider (supported: ${DEFAULT_HASH_MODEL})`);
      }
      return new HashEmbeddingProvider(settings.dimensions);
    }
    case 'openai':
      return new OpenAiEmbeddingProvider(settings, deps);
    default:
      throw new Error(`EMBEDDING_PROVIDER must be "hash" or "openai", got ${JSON.stringify(String(settings.provider))}`);
  }
}
