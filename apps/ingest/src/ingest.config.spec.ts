import { ConfigError } from '@datafactory/config';
import { loadIngestConfig } from './ingest.config';

const MINIMAL = { INTERNAL_TOKEN: 'i'.repeat(32), GOVERNANCE_SIGNING_KEY: 'g'.repeat(32) };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadIngestConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).service).toBe('ingest');
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadIngestConfig to throw');
}

describe('loadIngestConfig', () => {
  it('accepts a minimal environment and applies the defaults', () => {
    const config = loadIngestConfig({ ...MINIMAL });
    expect(config).toMatchObject({
      INGEST_PORT: 8081,
      EMBEDDING_PROVIDER: 'hash',
      EMBEDDING_BATCH_SIZE: 64,
      EMBEDDING_TIMEOUT_MS: 30_000,
      EMBEDDING_MAX_RETRIES: 5,
      CHUNK_MAX_TOKENS: 400,
      CHUNK_OVERLAP_TOKENS: 60,
      MAX_BODY_BYTES: 10 * 1024 * 1024,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/datafactory',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.EMBEDDING_BASE_URL).toBeUndefined();
  });

  it('defaults the vector index settings and refuses a build memory Postgres would not take', () => {
    expect(loadIngestConfig({ ...MINIMAL })).toMatchObject({
      VECTOR_INDEX_MIN_CHUNKS: 1000,
      VECTOR_INDEX_M: 16,
      VECTOR_INDEX_EF_CONSTRUCTION: 64,
      VECTOR_INDEX_BUILD_MEMORY: '256MB',
    });
    expect(loadIngestConfig({ ...MINIMAL, VECTOR_INDEX_BUILD_MEMORY: '2047GB' }).VECTOR_INDEX_BUILD_MEMORY).toBe('2047GB');
    for (const bad of ['9999999GB', '512kB', '256', '1TB', '0MB']) {
      expect(problems({ ...MINIMAL, VECTOR_INDEX_BUILD_MEMORY: bad }).join('\n')).toMatch(/VECTOR_INDEX_BUILD_MEMORY/);
    }
  });

  it('treats the empty values of a fresh .env (EMBEDDING_BASE_URL= ...) as unset', () => {
    const config = loadIngestConfig({
      ...MINIMAL,
      EMBEDDING_BASE_URL: '',
      EMBEDDING_MODEL: '',
      EMBEDDING_DIMENSIONS: '',
      EMBEDDING_API_KEY: '',
    });
    expect(config.EMBEDDING_DIMENSIONS).toBeUndefined();
    expect(config.EMBEDDING_MODEL).toBeUndefined();
  });

  it('requires INTERNAL_TOKEN and GOVERNANCE_SIGNING_KEY', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^INTERNAL_TOKEN: INTERNAL_TOKEN is required/),
      expect.stringMatching(/^GOVERNANCE_SIGNING_KEY: GOVERNANCE_SIGNING_KEY is required/),
    ]);
  });

  it('runs the embedding and chunking cross-field rules', () => {
    expect(problems({ ...MINIMAL, EMBEDDING_PROVIDER: 'openai', CHUNK_MAX_TOKENS: '100', CHUNK_OVERLAP_TOKENS: '50' })).toEqual([
      'EMBEDDING_BASE_URL: is required when EMBEDDING_PROVIDER=openai',
      'EMBEDDING_MODEL: is required when EMBEDDING_PROVIDER=openai',
      expect.stringMatching(/^EMBEDDING_DIMENSIONS: is required/),
      'CHUNK_OVERLAP_TOKENS: must be less than half of CHUNK_MAX_TOKENS',
    ]);
  });

  it('accepts an openai configuration', () => {
    const config = loadIngestConfig({
      ...MINIMAL,
      EMBEDDING_PROVIDER: 'openai',
      EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1',
      EMBEDDING_MODEL: 'nomic-embed-text',
      EMBEDDING_DIMENSIONS: '768',
      INGEST_PORT: '18081',
    });
    expect(config).toMatchObject({ EMBEDDING_PROVIDER: 'openai', EMBEDDING_DIMENSIONS: 768, INGEST_PORT: 18081 });
  });

  it('rejects an out-of-range INGEST_PORT by name', () => {
    expect(problems({ ...MINIMAL, INGEST_PORT: '65536' })).toEqual(['INGEST_PORT: must be a port number 1-65535']);
  });

  it('reports cross-field problems together with unrelated invalid settings', () => {
    expect(problems({ ...MINIMAL, INTERNAL_TOKEN: 'short', EMBEDDING_PROVIDER: 'openai' })).toEqual([
      'INTERNAL_TOKEN: must be at least 24 characters (generate one with: openssl rand -base64 32)',
      'EMBEDDING_BASE_URL: is required when EMBEDDING_PROVIDER=openai',
      'EMBEDDING_MODEL: is required when EMBEDDING_PROVIDER=openai',
      'EMBEDDING_DIMENSIONS: is required when EMBEDDING_PROVIDER=openai (the vector index is built for a fixed dimension)',
    ]);
  });
});
