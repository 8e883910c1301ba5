import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED_SECRETS, prepareEnvironment } from './dotenv';

const EXAMPLE = [
  '# DataFactory configuration',
  'DATABASE_URL=postgres://postgres@127.0.0.1:5432/datafactory',
  '# --- secrets',
  'ADMIN_TOKEN=',
  'API_KEY_PEPPER=',
  'INTERNAL_TOKEN=',
  'GOVERNANCE_SIGNING_KEY=',
  'EMBEDDING_BASE_URL=',
  'GATEWAY_PORT=8080',
  '',
].join('\n');

describe('prepareEnvironment', () => {
  let dirs: string[] = [];
  const newDir = (withExample = true): string => {
    const dir = mkdtempSync(join(tmpdir(), 'df-dotenv-'));
    dirs.push(dir);
    if (withExample) writeFileSync(join(dir, '.env.example'), EXAMPLE);
    return dir;
  };
  const quiet = () => undefined;

  afterEach(() => {
    dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    dirs = [];
  });

  it('creates .env from .env.example with generated random secrets and loads it into the env object', () => {
    const dir = newDir();
    const env: NodeJS.ProcessEnv = {};
    const lines: string[] = [];
    const result = prepareEnvironment(env, dir, (line) => lines.push(line));

    expect(result).toEqual({ envFile: join(dir, '.env'), created: true });
    for (const name of GENERATED_SECRETS) {
      expect(env[name]).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    }
    expect(new Set(GENERATED_SECRETS.map((name) => env[name])).size).toBe(GENERATED_SECRETS.length);
    // Non-secret lines are copied unchanged, empty non-secret settings stay empty.
    expect(env['DATABASE_URL']).toBe('postgres://postgres@127.0.0.1:5432/datafactory');
    expect(env['GATEWAY_PORT']).toBe('8080');
    expect(env['EMBEDDING_BASE_URL']).toBe('');

    const text = readFileSync(join(dir, '.env'), 'utf8');
    expect(text).toContain('# DataFactory configuration\n');
    expect(text).toContain(`ADMIN_TOKEN=${env['ADMIN_TOKEN']}\n`);
    expect(text).toContain('EMBEDDING_BASE_URL=\n');

    // It tells the operator where the token is, never the token itself.
    expect(lines.join('\n')).toContain(join(dir, '.env'));
    for (const name of GENERATED_SECRETS) expect(lines.join('\n')).not.toContain(env[name] as string);
  });

  it('writes the file readable by the owner only and leaves no temporary file behind', () => {
    const dir = newDir();
    prepareEnvironment({}, dir, quiet);
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['.env', '.env.example']);
  });

  it('generates different secrets for different installations', () => {
    const a: NodeJS.ProcessEnv = {};
    const b: NodeJS.ProcessEnv = {};
    prepareEnvironment(a, newDir(), quiet);
    prepareEnvironment(b, newDir(), quiet);
    for (const name of GENERATED_SECRETS) expect(a[name]).not.toBe(b[name]);
  });

  it('never overwrites an existing .env on later starts', () => {
    const dir = newDir();
    const first: NodeJS.ProcessEnv = {};
    prepareEnvironment(first, dir, quiet);
    const before = readFileSync(join(dir, '.env'), 'utf8');

    const lines: string[] = [];
    const second: NodeJS.ProcessEnv = {};
    expect(prepareEnvironment(second, dir, (line) => lines.push(line))).toEqual({ envFile: join(dir, '.env'), created: false });
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(before);
    expect(second['ADMIN_TOKEN']).toBe(first['ADMIN_TOKEN']);
    expect(lines).toEqual([]);
  });

  it('loads a hand-written .env without touching it, even when an example exists', () => {
    const dir = newDir();
    writeFileSync(join(dir, '.env'), 'ADMIN_TOKEN=mine-mine-mine-mine-mine-mine\n');
    const env: NodeJS.ProcessEnv = {};
    expect(prepareEnvironment(env, dir, quiet).created).toBe(false);
    expect(env['ADMIN_TOKEN']).toBe('mine-mine-mine-mine-mine-mine');
    expect(env['API_KEY_PEPPER']).toBeUndefined();
  });

  it('does not override variables already present in the env object', () => {
    const dir = newDir();
    const env: NodeJS.ProcessEnv = { ADMIN_TOKEN: 'from-the-environment-000000000', GATEWAY_PORT: '9999' };
    prepareEnvironment(env, dir, quiet);
    expect(env['ADMIN_TOKEN']).toBe('from-the-environment-000000000');
    expect(env['GATEWAY_PORT']).toBe('9999');
    // The generated file still has its own token; only the process view prefers the environment.
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^ADMIN_TOKEN=[A-Za-z0-9_-]{32,}$/m);
    expect(env['API_KEY_PEPPER']).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('does nothing at all with ENV_FILE=none', () => {
    const dir = newDir();
    const env: NodeJS.ProcessEnv = { ENV_FILE: 'none' };
    const lines: string[] = [];
    expect(prepareEnvironment(env, dir, (line) => lines.push(line))).toEqual({ envFile: null, created: false });
    expect(existsSync(join(dir, '.env'))).toBe(false);
    expect(env).toEqual({ ENV_FILE: 'none' });
    expect(lines).toEqual([]);
  });

  it('uses the file named by ENV_FILE, created from the .env.example beside it', () => {
    const dir = newDir();
    const env: NodeJS.ProcessEnv = { ENV_FILE: 'local.env' };
    expect(prepareEnvironment(env, dir, quiet)).toEqual({ envFile: join(dir, 'local.env'), created: true });
    expect(existsSync(join(dir, '.env'))).toBe(false);
    expect(env['INTERNAL_TOKEN']).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('without .env and without .env.example creates nothing and reports no file', () => {
    const dir = newDir(false);
    const env: NodeJS.ProcessEnv = {};
    expect(prepareEnvironment(env, dir, quiet)).toEqual({ envFile: null, created: false });
    expect(readdirSync(dir)).toEqual([]);
    expect(env).toEqual({});
  });

  it('adds secrets introduced by an upgrade to a .env it generated, and only to such a file', () => {
    const dir = newDir();
    prepareEnvironment({}, dir, quiet);
    const file = join(dir, '.env');
    const old = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('GOVERNANCE_SIGNING_KEY='))
      .join('\n');
    writeFileSync(file, old);
    const lines: string[] = [];
    const env: NodeJS.ProcessEnv = {};
    prepareEnvironment(env, dir, (line) => lines.push(line));
    expect(env['GOVERNANCE_SIGNING_KEY']).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(readFileSync(file, 'utf8').startsWith(old)).toBe(true);
    expect(lines).toEqual([expect.stringContaining('added new random GOVERNANCE_SIGNING_KEY')]);
    // Already set in the environment: nothing is written.
    const dir2 = newDir();
    prepareEnvironment({}, dir2, quiet);
    const file2 = join(dir2, '.env');
    const old2 = readFileSync(file2, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('GOVERNANCE_SIGNING_KEY='))
      .join('\n');
    writeFileSync(file2, old2);
    prepareEnvironment({ GOVERNANCE_SIGNING_KEY: 'x'.repeat(32) }, dir2, quiet);
    expect(readFileSync(file2, 'utf8')).toBe(old2);
  });
});
