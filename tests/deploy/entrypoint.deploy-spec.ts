import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Server, Socket, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { LocalPostgres } from '../../libs/testing/src';
import { DEPLOY, Env, ROOT, removeTempDirs, runSecretsInit, tempDir } from './support/compose';

/**
 * The image's entrypoint, run on this machine against the built dist/ (as the image runs it, minus tini): the
 * program names it accepts, the error for any other, NAME_FILE secrets, exec (node replaces the shell, so signals
 * reach it), and the migration job end to end on a throw-away PostgreSQL prepared by the compose init script.
 */
const ENTRYPOINT = join(DEPLOY, 'docker', 'entrypoint.sh');
const PROGRAMS = 'gateway, ingest, search, job-orchestrator, governance or migrate';

afterAll(removeTempDirs);

function entrypoint(args: string[], env: Env = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(ENTRYPOINT, args, { env: baseEnv(env), encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A clean environment (nothing from this shell leaks in), with the Node running the tests first on PATH. */
function baseEnv(env: Env): Env {
  return { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ENV_FILE: 'none', ...env };
}

function requireBuild(main: string): void {
  if (!existsSync(join(ROOT, main))) throw new Error(`${main} is missing: run npm run build first (npm test does)`);
}

function tempFile(content: string): string {
  const file = join(tempDir('df-entrypoint-'), 'value');
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

describe('deploy/docker/entrypoint.sh', () => {
  it('knows exactly the five apps (apps/*/src/main.ts) and migrate', () => {
    const script = readFileSync(ENTRYPOINT, 'utf8');
    const cases = [...script.matchAll(/^\s*([\w|\s-]+)\)\s*main=/gm)].flatMap((m) => m[1]!.split('|').map((s) => s.trim()));
    const apps = readdirSync(join(ROOT, 'apps')).filter((a) => existsSync(join(ROOT, 'apps', a, 'src', 'main.ts')));
    expect(cases.sort()).toEqual([...apps, 'migrate'].sort());
  });

  it.each([
    ['an unknown name as the argument', ['bogus'], {}],
    ['an unknown name in APP', [], { APP: 'bogus' }],
  ])('refuses %s with a clear message and exit code 64', (_, args, env) => {
    const r = entrypoint(args, env);
    expect(r.status).toBe(64);
    expect(r.stderr).toBe(`datafactory: unknown program "bogus": expected ${PROGRAMS}\n`);
  });

  it('asks for a program when given none', () => {
    const r = entrypoint([]);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain(`no program given: pass one as the argument or in APP (${PROGRAMS})`);
  });

  it('reads NAME from the file NAME_FILE names (a mounted secret)', () => {
    requireBuild('dist/apps/job-orchestrator/src/main.js');
    // An invalid DATABASE_URL stops the service at its config check (exit 78), listing every problem it found.
    const without = entrypoint(['job-orchestrator'], { DATABASE_URL: 'not-a-url' });
    expect(without.status).toBe(78);
    expect(without.stderr).toMatch(/INTERNAL_TOKEN/);
    const withFile = entrypoint(['job-orchestrator'], { DATABASE_URL: 'not-a-url', INTERNAL_TOKEN_FILE: tempFile('t'.repeat(32)) });
    expect(withFile.status).toBe(78);
    expect(withFile.stderr).toMatch(/DATABASE_URL/);
    expect(withFile.stderr).not.toMatch(/INTERNAL_TOKEN/);
  });

  it('refuses NAME and NAME_FILE together, and a NAME_FILE it cannot read', () => {
    const both = entrypoint(['search'], { INTERNAL_TOKEN: 't'.repeat(32), INTERNAL_TOKEN_FILE: tempFile('t'.repeat(32)) });
    expect(both.status).toBe(64);
    expect(both.stderr).toContain('both INTERNAL_TOKEN and INTERNAL_TOKEN_FILE are set');
    const missing = entrypoint(['search'], { INTERNAL_TOKEN_FILE: '/nonexistent/secret' });
    expect(missing.status).toBe(66);
    expect(missing.stderr).toContain('INTERNAL_TOKEN_FILE=/nonexistent/secret cannot be read');
  });

  describe('exec', () => {
    let server: Server;
    let port: number;
    const sockets: Socket[] = [];
    let connected: Promise<void>;

    beforeAll(async () => {
      // A "database" that accepts connections and never answers: the migration waits on it, still running.
      let onConnect: () => void = () => undefined;
      connected = new Promise((resolve) => (onConnect = resolve));
      server = createServer((socket) => {
        sockets.push(socket);
        onConnect();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });

    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('replaces itself with node, so the stop signal reaches the program', async () => {
      requireBuild('dist/libs/db/src/cli/migrate.js');
      const child: ChildProcess = spawn(ENTRYPOINT, ['migrate'], { env: baseEnv({ DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/db` }), stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      try {
        await connected;
        const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
        expect(argv[0]).toMatch(/(^|\/)node$/);
        expect(argv[1]).toBe('dist/libs/db/src/cli/migrate.js');
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe('SIGTERM');
    });
  });
});

describe('migrate, on a database prepared as the compose stack prepares it', () => {
  let pg: LocalPostgres;
  let secrets: string;
  let databaseUrlFile: string;

  const superuser = async <T>(fn: (c: Client) => Promise<T>, database = 'datafactory'): Promise<T> => {
    const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${pg.port}/${database}` });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    pg = await LocalPostgres.create();
    // Passwords checked for everyone but the superuser, as in the postgres image (which checks them for all).
    writeFileSync(join(pg.dir, 'data', 'pg_hba.conf'), 'local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n');
    await superuser((c) => c.query('SELECT pg_reload_conf()'), 'postgres');
    await superuser((c) => c.query('CREATE DATABASE datafactory'), 'postgres'); // POSTGRES_DB
    secrets = runSecretsInit();
    const init = spawnSync('psql', ['-X', '-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'datafactory', '-f', join(DEPLOY, 'compose', 'postgres-init.sql')], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', DATAFACTORY_DB_PASSWORD_FILE: join(secrets, 'DB_PASSWORD') },
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`postgres-init.sql failed: ${init.stderr}`);
    // The generated DATABASE_URL names the compose host; here the server is on this machine.
    databaseUrlFile = tempFile(readFileSync(join(secrets, 'DATABASE_URL'), 'utf8').replace('@postgres:5432/', `@127.0.0.1:${pg.port}/`));
  }, 60_000);

  afterAll(() => pg?.destroy());

  it('applies every migration as the non-superuser role, with its generated password, then finds nothing to do', () => {
    requireBuild('dist/libs/db/src/cli/migrate.js');
    const first = entrypoint(['migrate'], { DATABASE_URL_FILE: databaseUrlFile });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/\[db:migrate\] applied /);
    const second = entrypoint(['migrate'], { DATABASE_URL_FILE: databaseUrlFile });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('[db:migrate] schema is up to date');
  }, 60_000);

  it('leaves a schema the role owns, with pgvector, and the role no superuser', async () => {
    const facts = await superuser(async (c) => ({
      superuser: (await c.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = 'datafactory'`)).rows[0]?.rolsuper,
      owners: (await c.query<{ owner: string }>(`SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r) => r.owner),
      vector: (await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`)).rowCount,
    }));
    expect(facts).toEqual({ superuser: false, owners: ['datafactory'], vector: 1 });
  });

  it('is refused with another password: the role really authenticates with the generated one', () => {
    const wrong = tempFile(readFileSync(databaseUrlFile, 'utf8').replace(/datafactory:[^@]+@/, 'datafactory:wrong-password@'));
    const r = entrypoint(['migrate'], { DATABASE_URL_FILE: wrong });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/password authentication failed/);
  }, 60_000);
});
