import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SERVICE_PORT_VARIABLE, ServiceName, repoRoot } from '../../../libs/testing/src/stack';

export const ROOT = repoRoot;
export const DEPLOY = join(ROOT, 'deploy');
export const COMPOSE_FILE = join(DEPLOY, 'docker-compose.yml');
/** Where the compose file mounts the secrets volume in every container that reads it. */
export const SECRETS_MOUNT = '/run/secrets/datafactory';

/** The five services, each with the setting that holds its API port. */
export const APPS = SERVICE_PORT_VARIABLE;
export type AppName = ServiceName;
export const APP_NAMES = Object.keys(APPS) as AppName[];

export type Env = Record<string, string>;

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  user?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: string | number; host_ip?: string }>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  volumes?: Array<string | { type: string; source?: string; target: string; read_only?: boolean }>;
  read_only?: boolean;
  tmpfs?: string[] | string;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  restart?: string;
  stop_grace_period?: string;
  network_mode?: string;
  deploy?: { resources?: { limits?: { memory?: string } } };
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [extension: string]: unknown;
}

/** The compose file as Compose loads it: YAML merge keys (`<<: *anchor`) resolved. */
export function loadCompose(): ComposeFile {
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
}

export function serviceEnv(service: ComposeService): Env {
  const raw = service.environment ?? {};
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((item): [string, string] => [item.split('=')[0]!, item.slice(item.indexOf('=') + 1)])
    : Object.entries(raw);
  return Object.fromEntries(entries.map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

export function dependsOn(service: ComposeService): Record<string, string> {
  const raw = service.depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(raw).map(([name, d]) => [name, d.condition ?? 'service_started']));
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  /** A named volume (declared under `volumes:`) rather than a path on the host. */
  named: boolean;
}

export function mounts(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? '', target: v.target, readOnly: Boolean(v.read_only), named: v.type === 'volume' };
    const [source = '', target = '', mode = ''] = v.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro'), named: !/^[./~]/.test(source) };
  });
}

/** A bind mount's source as a path in the repository (compose resolves them against the compose file's folder). */
export const hostPath = (source: string): string => resolve(DEPLOY, source);

export function asList(value: string[] | string | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/** Published ports as `host_ip:published:target`. */
export function publishedPorts(service: ComposeService): string[] {
  return (service.ports ?? []).map((p) =>
    typeof p === 'string' ? (p.split(':').length === 2 ? `0.0.0.0:${p}` : p) : `${p.host_ip ?? '0.0.0.0'}:${p.published ?? ''}:${p.target}`,
  );
}

/** The services built from the repository's Dockerfile (the DataFactory image). */
export function imageServices(compose: ComposeFile): string[] {
  return Object.entries(compose.services)
    .filter(([, s]) => s.build !== undefined)
    .map(([name]) => name);
}

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs deploy/compose/init-secrets.sh as Compose would, into a fresh directory; returns it. `env` may carry
 * values to store instead of generated ones.
 */
export function runSecretsInit(env: Env = {}, dir = join(tempDir('df-secrets-'), 'secrets')): string {
  execFileSync('sh', [join(DEPLOY, 'compose', 'init-secrets.sh')], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', SECRETS_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return dir;
}

/**
 * A service's environment as its program sees it: the image's ENV, then the compose environment, with every
 * NAME_FILE under the secrets mount replaced by NAME read from `secretsDir` (what the image's entrypoint does).
 */
export function effectiveEnv(imageEnv: Env, service: ComposeService, secretsDir: string): Env {
  const env: Env = { ...imageEnv, ...serviceEnv(service) };
  for (const [key, value] of Object.entries(env)) {
    if (!key.endsWith('_FILE') || key === 'ENV_FILE' || !value.startsWith(`${SECRETS_MOUNT}/`)) continue;
    env[key.slice(0, -'_FILE'.length)] = readFileSync(join(secretsDir, value.slice(SECRETS_MOUNT.length + 1)), 'utf8');
    delete env[key];
  }
  return env;
}
