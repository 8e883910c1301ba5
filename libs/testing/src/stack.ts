import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

export const SERVICES = ['ingest', 'search', 'job-orchestrator', 'governance', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The setting that holds each service's API port. */
export const SERVICE_PORT_VARIABLE = {
  gateway: 'GATEWAY_PORT',
  ingest: 'INGEST_PORT',
  search: 'SEARCH_PORT',
  'job-orchestrator': 'JOB_ORCHESTRATOR_PORT',
  governance: 'GOVERNANCE_PORT',
} as const satisfies Record<ServiceName, string>;

export interface StackOptions {
  databaseUrl: string;
  redisUrl?: string;
  /** Extra or overriding environment for every service. */
  env?: Record<string, string>;
  logDir?: string;
}

export interface RunningStack {
  gatewayUrl: string;
  adminToken: string;
  ports: Record<ServiceName, number>;
  /** Each service's Prometheus port (METRICS_PORT). */
  metricsPorts: Record<ServiceName, number>;
  env: Record<string, string>;
  logDir: string;
  pids: Record<ServiceName, number>;
}

export const repoRoot = resolve(__dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const children = new Map<number, ChildProcess>();

/**
 * Starts the five services from `dist/` as real processes on free ports, configured only through
 * the environment (ENV_FILE=none), and waits until each reports ready.
 */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  for (const svc of SERVICES) {
    if (!existsSync(join(repoRoot, `dist/apps/${svc}/src/main.js`)))
      throw new Error(`dist/apps/${svc} is missing: run npm run build first`);
  }
  const ports = {} as Record<ServiceName, number>;
  const metricsPorts = {} as Record<ServiceName, number>;
  for (const svc of SERVICES) {
    ports[svc] = await freePort();
    metricsPorts[svc] = await freePort();
  }
  const adminToken = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    ENV_FILE: 'none',
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `dft-${randomBytes(4).toString('hex')}`,
    ADMIN_TOKEN: adminToken,
    API_KEY_PEPPER: randomBytes(24).toString('base64url'),
    INTERNAL_TOKEN: randomBytes(24).toString('base64url'),
    GOVERNANCE_SIGNING_KEY: randomBytes(24).toString('base64url'),
    INGEST_URL: `http://127.0.0.1:${ports.ingest}`,
    SEARCH_URL: `http://127.0.0.1:${ports.search}`,
    JOB_ORCHESTRATOR_URL: `http://127.0.0.1:${ports['job-orchestrator']}`,
    GOVERNANCE_URL: `http://127.0.0.1:${ports.governance}`,
    ...Object.fromEntries(SERVICES.map((svc) => [SERVICE_PORT_VARIABLE[svc], String(ports[svc])])),
    ...opts.env,
  };
  const logDir = opts.logDir ?? join(repoRoot, 'tmp', 'test-logs', `stack-${Date.now()}`);
  mkdirSync(logDir, { recursive: true });

  const stack: RunningStack = {
    gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
    adminToken,
    ports,
    metricsPorts,
    env,
    logDir,
    pids: {} as Record<ServiceName, number>,
  };
  for (const svc of SERVICES) stack.pids[svc] = spawnService(stack, svc, svc, { METRICS_PORT: String(metricsPorts[svc]) });
  try {
    await Promise.all(SERVICES.map((svc) => waitReady(stack, svc)));
  } catch (error) {
    await stopStack(stack);
    throw error;
  }
  return stack;
}

function spawnService(stack: RunningStack, svc: ServiceName, logName: string, env: Record<string, string>): number {
  const log = createWriteStream(join(stack.logDir, `${logName}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(repoRoot, `dist/apps/${svc}/src/main.js`)], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...stack.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.set(child.pid as number, child);
  return child.pid as number;
}

/** Sends a signal to a service (SIGKILL for a crash, SIGSTOP/SIGCONT to freeze it); waits for a kill to take effect. */
export async function signalService(stack: RunningStack, svc: ServiceName, signal: NodeJS.Signals): Promise<void> {
  await signalPid(stack.pids[svc], signal);
}

export async function signalPid(pid: number, signal: NodeJS.Signals): Promise<void> {
  const child = children.get(pid);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = signal === 'SIGKILL' || signal === 'SIGTERM' ? new Promise<void>((r) => child.once('exit', () => r())) : Promise.resolve();
  child.kill(signal);
  await exited;
}

/** Starts a service again (after a kill), optionally with different settings, and waits until it is ready. */
export async function restartService(stack: RunningStack, svc: ServiceName, env: Record<string, string> = {}): Promise<void> {
  await signalService(stack, svc, 'SIGKILL');
  stack.pids[svc] = spawnService(stack, svc, svc, { METRICS_PORT: String(stack.metricsPorts[svc]), ...env });
  await waitReady(stack, svc);
}

/** Starts one more instance of a service (e.g. a second ingest worker) on its own port; returns its pid. */
export async function startExtraInstance(
  stack: RunningStack,
  svc: ServiceName,
  name: string,
  env: Record<string, string> = {},
): Promise<number> {
  const port = await freePort();
  const pid = spawnService(stack, svc, name, {
    ...env,
    [SERVICE_PORT_VARIABLE[svc]]: String(port),
    METRICS_PORT: String(await freePort()),
  });
  await waitHealthy(port, pid, name, stack);
  return pid;
}

async function waitReady(stack: RunningStack, svc: ServiceName, timeoutMs = 30_000): Promise<void> {
  await waitHealthy(stack.ports[svc], stack.pids[svc], svc, stack, timeoutMs);
}

async function waitHealthy(port: number, pid: number, name: string, stack: RunningStack, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const child = children.get(pid);
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}:\n${tail(stack, name)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${tail(stack, name)}`);
}

export function tail(stack: RunningStack, svc: string, lines = 30): string {
  try {
    return readFileSync(join(stack.logDir, `${svc}.log`), 'utf8')
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/** Deletes every Redis key under the stack's queue prefix. */
export async function cleanRedis(stack: RunningStack): Promise<void> {
  const redis = new Redis(stack.env['REDIS_URL'] as string, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${stack.env['QUEUE_PREFIX']}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** SIGTERM, then SIGKILL for whatever has not exited after 5 s (extra instances included). */
export async function stopStack(_stack: RunningStack): Promise<void> {
  await Promise.all(
    [...children.values()].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      children.delete(child.pid as number);
    }),
  );
}
