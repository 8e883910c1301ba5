import { createEmbeddingProvider } from './create-embedding-provider';
import type { EmbeddingSettings } from './embedding.settings';
import { HashEmbeddingProvider } from './hash-embedding.provider';
import { OpenAiEmbeddingProvider } from './openai-embedding.provider';

describe('createEmbeddingProvider', () => {
  it('builds the hash provider with defaults', () => {
    const p = createEmbeddingProvider({ provider: 'hash' });
    expect(p).toBeInstanceOf(HashEmbeddingProvider);
    expect(p.version).toBe('hash:fh-v1:384');
    expect(createEmbeddingProvider({ provider: 'hash', model: 'fh-v1', dimensions: 256 }).version).toBe('hash:fh-v1:256');
  });

  it('rejects unknown hash models and bad dimensions', () => {
    expect(() => createEmbeddingProvider({ provider: 'hash', model: 'minilm' })).toThrow(/EMBEDDING_MODEL/);
    expect(() => createEmbeddingProvider({ provider: 'hash', dimensions: 4 })).toThrow(/EMBEDDING_DIMENSIONS/);
  });

  it('builds the openai provider', () => {
    const p = createEmbeddingProvider({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1/',
      model: 'nomic-embed-text',
      dimensions: 768,
    });
    expect(p).toBeInstanceOf(OpenAiEmbeddingProvider);
    expect(p.provider).toBe('openai');
    expect(p.version).toBe('openai:nomic-embed-text:768');
  });

  it('names the missing or invalid setting for openai', () => {
    expect(() => createEmbeddingProvider({ provider: 'openai', model: 'm' })).toThrow(/EMBEDDING_BASE_URL/);
    expect(() => createEmbeddingProvider({ provider: 'openai', baseUrl: '  ', model: 'm' })).toThrow(/EMBEDDING_BASE_URL/);
    expect(() => createEmbeddingProvider({ provider: 'openai', baseUrl: 'not a url', model: 'm' })).toThrow(/EMBEDDING_BASE_URL/);
    expect(() => createEmbeddingProvider({ provider: 'openai', baseUrl: 'ftp://host/v1', model: 'm' })).toThrow(
      /EMBEDDING_BASE_URL must use http or https/,
    );
    expect(() => createEmbeddingProvider({ provider: 'openai', baseUrl: 'http://h/v1' })).toThrow(/EMBEDDING_MODEL/);
    const base = { provider: 'openai', baseUrl: 'http://h/v1', model: 'm' } as const;
    expect(() => createEmbeddingProvider({ ...base, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => createEmbeddingProvider({ ...base, maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => createEmbeddingProvider({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createEmbeddingProvider({ ...base, dimensions: 1.5 })).toThrow(/EMBEDDING_DIMENSIONS/);
  });

  it('rejects an unknown provider name coming from untyped config', () => {
    const settings = { provider: 'cohere' } as unknown as EmbeddingSettings;
    expect(() => createEmbeddingProvider(settings)).toThrow(/EMBEDDING_PROVIDER/);
  });
});
