import { ConfigError } from '@datafactory/config';
import { loadGatewayConfig } from './gateway.config';

const SECRETS = { ADMIN_TOKEN: 'a'.repeat(32), API_KEY_PEPPER: 'p'.repeat(32), INTERNAL_TOKEN: 'i'.repeat(32) };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).service).toBe('gateway');
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadGatewayConfig to throw');
}

describe('loadGatewayConfig', () => {
  it('accepts the three secrets alone and fills in the defaults', () => {
    const config = loadGatewayConfig({ ...SECRETS });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      BIND_HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/datafactory',
      DB_POOL_SIZE: 10,
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      REDIS_URL: 'redis://127.0.0.1:6379',
      ...SECRETS,
      INGEST_URL: 'http://127.0.0.1:8081',
      SEARCH_URL: 'http://127.0.0.1:8082',
      JOB_ORCHESTRATOR_URL: 'http://127.0.0.1:8083',
      GOVERNANCE_URL: 'http://127.0.0.1:8084',
      UPSTREAM_TIMEOUT_MS: 30_000,
      GATEWAY_PORT: 8080,
      MAX_BODY_BYTES: 10 * 1024 * 1024,
    });
  });

  it('ignores variables it does not know (the process environment is full of them)', () => {
    const config = loadGatewayConfig({ ...SECRETS, PATH: '/usr/bin', HOME: '/root' });
    expect(config).not.toHaveProperty('PATH');
  });

  it('names each missing secret when the environment is empty', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^INTERNAL_TOKEN: INTERNAL_TOKEN is required/),
      expect.stringMatching(/^ADMIN_TOKEN: ADMIN_TOKEN is required/),
      expect.stringMatching(/^API_KEY_PEPPER: API_KEY_PEPPER is required/),
    ]);
  });

  it('reports a bad port, a bad redis URL and a too-short token together', () => {
    const found = problems({ ...SECRETS, GATEWAY_PORT: 'abc', REDIS_URL: 'http://127.0.0.1:6379', ADMIN_TOKEN: 'short' });
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GATEWAY_PORT: /),
        expect.stringMatching(/^REDIS_URL: must be a redis or rediss URL/),
        expect.stringMatching(/^ADMIN_TOKEN: must be at least 24 characters/),
      ]),
    );
  });

  it('rejects a body limit below 1 KiB and a non-http upstream URL', () => {
    expect(problems({ ...SECRETS, MAX_BODY_BYTES: '100', SEARCH_URL: 'redis://x' })).toEqual([
      expect.stringMatching(/^SEARCH_URL: must be a http or https URL/),
      'MAX_BODY_BYTES: must be at least 1024',
    ]);
  });
});
