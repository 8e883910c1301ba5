import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import {
  checkChunkingConfig,
  checkEmbeddingConfig,
  chunkingConfig,
  databaseConfig,
  embeddingConfig,
  gatewayOnlyConfig,
  internalConfig,
  runtimeConfig,
} from './schema-fragments';

const TOKEN = 'x'.repeat(32);

/** Built the way the apps build theirs: fragments spread into one object, cross-field rules in superRefine. */
const appSchema = z.object({ ...runtimeConfig.shape, ...embeddingConfig.shape, ...chunkingConfig.shape }).superRefine((c, ctx) => {
  checkEmbeddingConfig(c, ctx);
  checkChunkingConfig(c, ctx);
});

/** Fragments with required secrets and typed values, for the "every problem" checks. */
const edgeSchema = z.object({ ...runtimeConfig.shape, ...databaseConfig.shape, ...gatewayOnlyConfig.shape, ...internalConfig.shape });

function problemsOf(schema: z.ZodType, env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig('svc', schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('returns the parsed configuration with defaults for an empty environment', () => {
    const config = loadConfig('svc', appSchema, {});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      BIND_HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      EMBEDDING_PROVIDER: 'hash',
      EMBEDDING_BATCH_SIZE: 64,
      CHUNK_MAX_TOKENS: 400,
      CHUNK_OVERLAP_TOKENS: 60,
    });
    expect(config.EMBEDDING_DIMENSIONS).toBeUndefined();
  });

  it('coerces numeric strings', () => {
    const config = loadConfig('svc', edgeSchema, {
      ADMIN_TOKEN: TOKEN,
      API_KEY_PEPPER: TOKEN,
      INTERNAL_TOKEN: TOKEN,
      GATEWAY_PORT: '9090',
      DB_POOL_SIZE: '3',
    });
    expect(config.GATEWAY_PORT).toBe(9090);
    expect(config.DB_POOL_SIZE).toBe(3);
  });

  it('names every problem with its variable, not just the first one', () => {
    const problems = problemsOf(edgeSchema, {
      DATABASE_URL: 'mysql://user@db:3306/x',
      GATEWAY_PORT: 'abc',
      API_KEY_PEPPER: 'too-short',
      INTERNAL_TOKEN: TOKEN,
      LOG_LEVEL: 'verbose',
    });
    expect(problems).toHaveLength(5);
    const byVar = (name: string) => problems.filter((p) => p.startsWith(`${name}: `));
    expect(byVar('DATABASE_URL')).toEqual([expect.stringMatching(/must be a postgres or postgresql URL/)]);
    expect(byVar('GATEWAY_PORT')).toHaveLength(1);
    expect(byVar('ADMIN_TOKEN')).toEqual([expect.stringContaining('ADMIN_TOKEN is required')]);
    expect(byVar('API_KEY_PEPPER')).toEqual([expect.stringContaining('at least 24 characters')]);
    expect(byVar('LOG_LEVEL')).toHaveLength(1);
  });

  it('puts the service name and every problem into the error message', () => {
    let error: unknown;
    try {
      loadConfig('gateway', edgeSchema, { GATEWAY_PORT: '70000', INTERNAL_TOKEN: TOKEN });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const ce = error as ConfigError;
    expect(ce.name).toBe('ConfigError');
    expect(ce.service).toBe('gateway');
    expect(ce.message).toMatch(/^invalid configuration for gateway:\n/);
    expect(ce.message).toContain('  - GATEWAY_PORT: must be a port number 1-65535');
    expect(ce.message).toContain('  - ADMIN_TOKEN: ');
    expect(ce.message).toContain('  - API_KEY_PEPPER: ');
  });

  it('rejects a URL that does not parse and a port of 0', () => {
    const problems = problemsOf(edgeSchema, {
      ADMIN_TOKEN: TOKEN,
      API_KEY_PEPPER: TOKEN,
      INTERNAL_TOKEN: TOKEN,
      DATABASE_URL: 'not a url',
      GATEWAY_PORT: '0',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^DATABASE_URL: must be a postgres or postgresql URL such as postgres:\/\//),
      'GATEWAY_PORT: must be a port number 1-65535',
    ]);
  });

  it('accepts postgresql:// as well as postgres://', () => {
    const env = { ADMIN_TOKEN: TOKEN, API_KEY_PEPPER: TOKEN, INTERNAL_TOKEN: TOKEN, DATABASE_URL: 'postgresql://u:p@db:5432/x' };
    expect(loadConfig('svc', edgeSchema, env).DATABASE_URL).toBe('postgresql://u:p@db:5432/x');
  });

  it('treats empty strings as unset: defaults apply and required values are reported as missing', () => {
    const problems = problemsOf(edgeSchema, {
      ADMIN_TOKEN: '',
      API_KEY_PEPPER: TOKEN,
      INTERNAL_TOKEN: TOKEN,
      GATEWAY_PORT: '',
      DATABASE_URL: '',
    });
    expect(problems).toEqual([expect.stringMatching(/^ADMIN_TOKEN: ADMIN_TOKEN is required/)]);

    const config = loadConfig('svc', edgeSchema, {
      ADMIN_TOKEN: TOKEN,
      API_KEY_PEPPER: TOKEN,
      INTERNAL_TOKEN: TOKEN,
      GATEWAY_PORT: '',
      DATABASE_URL: '',
    });
    expect(config.GATEWAY_PORT).toBe(8080);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/datafactory');
  });

  it('reports a short whitespace-only secret as too short rather than missing', () => {
    expect(problemsOf(edgeSchema, { ADMIN_TOKEN: ' ', API_KEY_PEPPER: TOKEN, INTERNAL_TOKEN: TOKEN })).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN: must be at least 24 characters/),
    ]);
  });

  it('labels a problem without a path as (environment)', () => {
    const schema = z.object({ A: z.string().optional() }).refine((c) => c.A !== 'bad', 'A and B disagree');
    expect(problemsOf(schema, { A: 'bad' })).toEqual(['(environment): A and B disagree']);
  });
});

describe('checkEmbeddingConfig', () => {
  it('accepts the hash provider without further settings', () => {
    expect(loadConfig('svc', appSchema, { EMBEDDING_PROVIDER: 'hash' }).EMBEDDING_PROVIDER).toBe('hash');
  });

  it('requires base URL, model and dimensions for the openai provider, each by name', () => {
    const problems = problemsOf(appSchema, { EMBEDDING_PROVIDER: 'openai' });
    expect(problems).toEqual([
      'EMBEDDING_BASE_URL: is required when EMBEDDING_PROVIDER=openai',
      'EMBEDDING_MODEL: is required when EMBEDDING_PROVIDER=openai',
      expect.stringMatching(/^EMBEDDING_DIMENSIONS: is required when EMBEDDING_PROVIDER=openai/),
    ]);
  });

  it('reports only what is missing and treats empty strings as missing', () => {
    const problems = problemsOf(appSchema, {
      EMBEDDING_PROVIDER: 'openai',
      EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1',
      EMBEDDING_MODEL: '',
      EMBEDDING_DIMENSIONS: '768',
    });
    expect(problems).toEqual(['EMBEDDING_MODEL: is required when EMBEDDING_PROVIDER=openai']);
  });

  it('accepts a complete openai configuration', () => {
    const config = loadConfig('svc', appSchema, {
      EMBEDDING_PROVIDER: 'openai',
      EMBEDDING_BASE_URL: 'https://api.example.com/v1',
      EMBEDDING_MODEL: 'text-embedding-3-small',
      EMBEDDING_DIMENSIONS: '1536',
    });
    expect(config).toMatchObject({ EMBEDDING_PROVIDER: 'openai', EMBEDDING_DIMENSIONS: 1536, EMBEDDING_MODEL: 'text-embedding-3-small' });
  });

  it('rejects an unknown provider, a non-http base URL and out-of-range dimensions', () => {
    const problems = problemsOf(appSchema, { EMBEDDING_PROVIDER: 'cohere', EMBEDDING_BASE_URL: 'ftp://x/v1', EMBEDDING_DIMENSIONS: '4' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'EMBEDDING_PROVIDER: must be "hash" (offline default) or "openai"',
        expect.stringMatching(/^EMBEDDING_BASE_URL: must be a http or https URL/),
        'EMBEDDING_DIMENSIONS: must be between 8 and 4096',
      ]),
    );
    expect(problems).toHaveLength(3);
  });
});

describe('checkChunkingConfig', () => {
  it('requires the overlap to be less than half of the maximum', () => {
    expect(problemsOf(appSchema, { CHUNK_MAX_TOKENS: '100', CHUNK_OVERLAP_TOKENS: '50' })).toEqual([
      'CHUNK_OVERLAP_TOKENS: must be less than half of CHUNK_MAX_TOKENS',
    ]);
    expect(problemsOf(appSchema, { CHUNK_MAX_TOKENS: '100', CHUNK_OVERLAP_TOKENS: '80' })).toHaveLength(1);
  });

  it('accepts an overlap just under half, and zero overlap', () => {
    expect(loadConfig('svc', appSchema, { CHUNK_MAX_TOKENS: '100', CHUNK_OVERLAP_TOKENS: '49' }).CHUNK_OVERLAP_TOKENS).toBe(49);
    expect(loadConfig('svc', appSchema, { CHUNK_MAX_TOKENS: '16', CHUNK_OVERLAP_TOKENS: '0' }).CHUNK_OVERLAP_TOKENS).toBe(0);
  });

  it('applies the rule to the defaults (400 / 60) and to an overridden maximum', () => {
    expect(problemsOf(appSchema, { CHUNK_MAX_TOKENS: '64' })).toEqual(['CHUNK_OVERLAP_TOKENS: must be less than half of CHUNK_MAX_TOKENS']);
  });

  it('reports the embedding and chunking cross-field problems together', () => {
    const problems = problemsOf(appSchema, {
      EMBEDDING_PROVIDER: 'openai',
      EMBEDDING_BASE_URL: 'http://h/v1',
      EMBEDDING_MODEL: 'm',
      CHUNK_OVERLAP_TOKENS: '300',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^EMBEDDING_DIMENSIONS: /),
      'CHUNK_OVERLAP_TOKENS: must be less than half of CHUNK_MAX_TOKENS',
    ]);
  });

  it('rejects a maximum outside 16..8192 by name', () => {
    expect(problemsOf(appSchema, { CHUNK_MAX_TOKENS: '8', CHUNK_OVERLAP_TOKENS: '1' })).toEqual(['CHUNK_MAX_TOKENS: must be at least 16']);
    expect(problemsOf(appSchema, { CHUNK_MAX_TOKENS: '12.5' })).toEqual(['CHUNK_MAX_TOKENS: must be an integer between 16 and 8192']);
  });
});
