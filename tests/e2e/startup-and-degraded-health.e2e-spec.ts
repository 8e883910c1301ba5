import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SERVICES, freePort, repoRoot } from '../../libs/testing/src';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function run(app: string, env: Record<string, string>, timeoutMs = 20_000): { exited: Promise<Exit>; kill: () => void } {
  const child = spawn(process.execPath, [join(repoRoot, `dist/apps/${app}/src/main.js`)], {
    env: { PATH: process.env['PATH'] ?? '', ENV_FILE: 'none', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    }),
  );
  return { exited, kill: () => child.kill('SIGTERM') };
}

const secret = () => randomBytes(24).toString('base64url');

/** The first answer of a service that is still starting (up to 10 s), whatever its status. */
async function firstAnswer(url: string): Promise<Response | undefined> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(url).catch(() => undefined);
    if (res) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

describe('start-up validation and degraded health', () => {
  it.each(SERVICES)('%s refuses to start with invalid configuration and says what is wrong', async (app) => {
    const { code, output } = await run(app, {
      DATABASE_URL: 'mysql://localhost/nope',
      INTERNAL_TOKEN: 'short',
      ADMIN_TOKEN: secret(),
      API_KEY_PEPPER: secret(),
    }).exited;
    expect(code).toBe(78);
    expect(output).toContain(`invalid configuration for ${app}`);
    expect(output).toContain('DATABASE_URL: must be a postgres or postgresql URL');
    expect(output).toContain('INTERNAL_TOKEN: must be at least 24 characters');
  });

  it('the gateway refuses to start without an ADMIN_TOKEN and the openai provider without its settings', async () => {
    const gateway = await run('gateway', { INTERNAL_TOKEN: secret(), API_KEY_PEPPER: secret() }).exited;
    expect(gateway.code).toBe(78);
    expect(gateway.output).toContain('ADMIN_TOKEN');
    const ingest = await run('ingest', { INTERNAL_TOKEN: secret(), EMBEDDING_PROVIDER: 'openai' }).exited;
    expect(ingest.code).toBe(78);
    expect(ingest.output).toContain('EMBEDDING_BASE_URL: is required when EMBEDDING_PROVIDER=openai');
    expect(ingest.output).toContain('EMBEDDING_MODEL: is required when EMBEDDING_PROVIDER=openai');
  });

  it('a service refuses to start when the database is unreachable, naming DATABASE_URL', async () => {
    const port = await freePort();
    const { code, output } = await run('search', { INTERNAL_TOKEN: secret(), DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nope` })
      .exited;
    expect(code).toBe(1);
    expect(output).toContain('cannot connect to PostgreSQL');
    expect(output).toContain('DATABASE_URL');
  });

  it('GET /v1/health answers 503 and names the services that are down', async () => {
    const [gatewayPort, deadPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const dead = `http://127.0.0.1:${deadPort}`;
    const adminToken = secret();
    const gateway = run('gateway', {
      DATABASE_URL: process.env['E2E_DATABASE_URL'] as string,
      GATEWAY_PORT: String(gatewayPort),
      METRICS_PORT: String(metricsPort),
      ADMIN_TOKEN: adminToken,
      API_KEY_PEPPER: secret(),
      INTERNAL_TOKEN: secret(),
      INGEST_URL: dead,
      SEARCH_URL: dead,
      JOB_ORCHESTRATOR_URL: dead,
      GOVERNANCE_URL: dead,
    });
    try {
      const res = await firstAnswer(`http://127.0.0.1:${gatewayPort}/v1/health`);
      expect(res?.status).toBe(503);
      const body = (await res!.json()) as { status: string; message: string; checks: Record<string, { status: string; message?: string }> };
      expect(body.status).toBe('unavailable');
      expect(body.message).toBe('down: ingest, search, job-orchestrator, governance');
      expect(body.checks['postgres']).toMatchObject({ status: 'up' });
      expect(body.checks['ingest']).toMatchObject({ status: 'down', message: 'the ingest service is unavailable' });

      // A request that needs a down service fails fast with 503 and a stable code, not a hang or a 500.
      const base = `http://127.0.0.1:${gatewayPort}`;
      const post = async (path: string, token: string, body: unknown) =>
        (
          await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json() as Promise<Record<string, never>>;
      const tenant = await post('/v1/admin/tenants', adminToken, { name: 'degraded' });
      const key = await post(`/v1/admin/tenants/${tenant['tenant_id']}/keys`, adminToken, { role: 'writer' });
      const res2 = await fetch(`${base}/v1/docs/upsert`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key['api_key']}`, 'content-type': 'application/json' },
        body: JSON.stringify({ doc_id: 'x', text: 'y' }),
      });
      expect(res2.status).toBe(503);
      expect(((await res2.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'dependency_unavailable',
        message: 'the ingest service is unavailable',
      });
    } finally {
      gateway.kill();
      await gateway.exited;
    }
  });

  it('without Redis a service stays ready (degraded, naming redis); an unreachable trace collector changes nothing', async () => {
    const [port, metricsPort, deadRedisPort, deadCollectorPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const search = run('search', {
      DATABASE_URL: process.env['E2E_DATABASE_URL'] as string,
      REDIS_URL: `redis://127.0.0.1:${deadRedisPort}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadCollectorPort}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      SEARCH_PORT: String(port),
      METRICS_PORT: String(metricsPort),
      INTERNAL_TOKEN: secret(),
    });
    try {
      const ready = await firstAnswer(`http://127.0.0.1:${port}/health/ready`);
      expect(ready?.status).toBe(200);
      const body = (await ready!.json()) as { status: string; message: string; checks: Record<string, { status: string }> };
      expect(body).toMatchObject({
        status: 'degraded',
        message: 'down: redis',
        checks: { postgres: { status: 'up' }, pgvector: { status: 'up' }, redis: { status: 'down' } },
      });
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      // Unauthenticated internal call: traced, answered, and its spans' failed export is nobody's problem.
      expect((await fetch(`http://127.0.0.1:${port}/v1/search`, { method: 'POST' })).status).toBe(401);
    } finally {
      search.kill();
      const { signal, output } = await search.exited;
      // It stopped on SIGTERM (the flush waits 2 s at most), not on the run's SIGKILL deadline, and logged no crash.
      expect(signal).not.toBe('SIGKILL');
      expect(output).not.toMatch(/unhandled|uncaught|failed to start/i);
    }
  });
});
