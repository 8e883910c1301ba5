import { GENERATED_SECRETS } from '@datafactory/config';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './support/compose';
import { Dockerfile, dockerignoreExcludes, parseAssignments, parseCopy, parseDockerfile, stageInstructions } from './support/dockerfile';

/**
 * The root Dockerfile and .dockerignore, read without Docker: a multi-stage build on the Node the repository pins,
 * a deterministic install, production dependencies only in the final stage, a non-root numeric user, no secret
 * baked in, an exec-form entrypoint through an init, and a build context that carries what the build copies and
 * nothing private.
 */
const dockerfile: Dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  devDependencies: Record<string, string>;
};
const final = dockerfile.stages[dockerfile.stages.length - 1]!;
const runs = (stage = final): string[] => stageInstructions(stage, 'RUN').map((i) => i.args);
const envOf = (stage = final): Record<string, string> => Object.assign({}, ...stageInstructions(stage, 'ENV').map((i) => parseAssignments(i.args)));
const stageNamed = (name: string) => dockerfile.stages.find((s) => s.name === name);

describe('Dockerfile', () => {
  it('builds in stages from the official slim Node image, on the major.minor of the `node` devDependency', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    const pinned = /^\D*(\d+)\.(\d+)/.exec(pkg.devDependencies['node'] ?? '');
    expect(pinned).not.toBeNull();
    expect(dockerfile.globalArgs['NODE_VERSION']).toBe(`${pinned![1]}.${pinned![2]}`);
    const stageNames = new Set(dockerfile.stages.map((s) => s.name));
    for (const stage of dockerfile.stages) {
      if (stageNames.has(stage.from)) continue;
      expect(stage.from).toBe(`node:${pinned![1]}.${pinned![2]}-bookworm-slim`);
    }
    expect(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim()).toBe(pinned![1]);
  });

  it('installs what package-lock.json pins (the lock copied in beside package.json) and builds with the npm build script', () => {
    const allRuns = dockerfile.stages.flatMap((s) => runs(s));
    const installing = dockerfile.stages.filter((st) => runs(st).some((r) => /\bnpm (ci|install)\b/.test(r)));
    expect(installing.length).toBeGreaterThan(0);
    for (const st of installing) {
      const copied = stageInstructions(st, 'COPY').map(parseCopy).flatMap((c) => c.sources);
      expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
      // Installing named packages, or updating, would leave the lock behind.
      for (const r of runs(st).filter((x) => /\bnpm (install|i)\b/.test(x))) expect(r).toMatch(/\bnpm install(\s+--[a-z-]+(=\S+)?)*\s*$/);
    }
    expect(allRuns.filter((r) => /\bnpm (update|up)\b/.test(r))).toEqual([]);
    expect(allRuns.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  it('puts production dependencies only into the final stage, and the compiled apps and libs', () => {
    const copies = stageInstructions(final, 'COPY').map(parseCopy);
    const modules = copies.find((c) => c.dest.replace(/\/$/, '').endsWith('node_modules'));
    expect(modules?.from).toBeDefined();
    const source = stageNamed(modules!.from!);
    expect(source).toBeDefined();
    const install = runs(source).find((r) => /\bnpm (ci|install)\b/.test(r));
    expect(install).toMatch(/--omit=dev\b/);
    const dist = copies.filter((c) => c.sources.some((s) => s.startsWith('/app/dist/')));
    expect(dist.flatMap((c) => c.sources)).toEqual(expect.arrayContaining(['/app/dist/apps', '/app/dist/libs']));
    // Not the build stage's node_modules, which hold the dev dependencies.
    for (const c of dist) expect(c.from).not.toBe(modules!.from);
    // The final stage installs nothing from npm itself.
    expect(runs().filter((r) => /\bnpm (ci|install|i|run|prune)\b/.test(r))).toEqual([]);
  });

  it('runs as a numeric non-root user', () => {
    const users = stageInstructions(final, 'USER').map((i) => i.args.trim());
    expect(users.length).toBeGreaterThan(0);
    const last = users[users.length - 1]!;
    expect(last).toMatch(/^\d+(:\d+)?$/);
    for (const id of last.split(':')) expect(Number(id)).toBeGreaterThan(0);
  });

  it('configures for containers (no .env, production, listening on all interfaces) and bakes in no secret', () => {
    const env = envOf();
    expect(env).toMatchObject({ ENV_FILE: 'none', NODE_ENV: 'production', BIND_HOST: '0.0.0.0' });
    const baked = dockerfile.stages.flatMap((s) => [...stageInstructions(s, 'ENV'), ...stageInstructions(s, 'ARG')]).flatMap((i) => Object.keys(parseAssignments(i.args)));
    const secretish = /TOKEN|PEPPER|SECRET|PASSWORD|SIGNING_KEY|API_KEY|DATABASE_URL|REDIS_URL/i;
    expect(baked.filter((name) => secretish.test(name))).toEqual([]);
    expect(baked.filter((name) => (GENERATED_SECRETS as readonly string[]).includes(name))).toEqual([]);
  });

  it('starts through an init in exec form, with the entrypoint script copied from deploy/docker', () => {
    const entrypoints = stageInstructions(final, 'ENTRYPOINT');
    expect(entrypoints).toHaveLength(1);
    const argv = JSON.parse(entrypoints[0]!.args) as string[];
    expect(Array.isArray(argv)).toBe(true);
    expect(argv[0]).toMatch(/\btini$/);
    expect(runs().some((r) => /apt-get install[^&]*\btini\b/.test(r))).toBe(true);
    const script = argv[argv.length - 1]!;
    const copied = stageInstructions(final, 'COPY')
      .map(parseCopy)
      .find((c) => c.from === undefined && c.sources.includes('deploy/docker/entrypoint.sh'));
    expect(copied).toBeDefined();
    const workdir = stageInstructions(final, 'WORKDIR').map((i) => i.args.trim()).pop() ?? '/';
    expect(join(workdir, copied!.dest)).toBe(script);
    expect(copied!.flags['chmod']).toBe('0755');
  });

  it('carries OCI labels whose version and licence are those of package.json', () => {
    const labels = Object.assign({}, ...stageInstructions(final, 'LABEL').map((i) => parseAssignments(i.args))) as Record<string, string>;
    const args = Object.assign({}, ...stageInstructions(final, 'ARG').map((i) => parseAssignments(i.args))) as Record<string, string>;
    for (const key of ['title', 'description', 'version', 'revision', 'licenses']) expect(labels[`org.opencontainers.image.${key}`]).toBeTruthy();
    expect(labels['org.opencontainers.image.version']).toBe('${VERSION}');
    expect(args['VERSION']).toBe(pkg.version);
    expect(labels['org.opencontainers.image.licenses']).toBe(pkg.license);
  });

  it('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const sources = dockerfile.stages.flatMap((s) => stageInstructions(s, 'COPY').map(parseCopy)).filter((c) => c.from === undefined).flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect({ source, excluded: dockerignoreExcludes(ignore, source) }).toEqual({ source, excluded: false });
    }
  });
});

describe('the code built into the image', () => {
  /** The files tsconfig.build.json compiles from apps/ and libs/ (tests and test helpers excluded). */
  function builtSources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'testing' || entry.name === 'node_modules' ? [] : builtSources(path);
      return /\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
    });
  }

  it('imports only production dependencies, the only ones the final stage has', () => {
    const roots = ['apps', 'libs'].flatMap((top) => readdirSync(join(ROOT, top)).map((name) => join(ROOT, top, name, 'src')));
    const imported = new Map<string, string>();
    for (const file of roots.filter((r) => existsSync(r)).flatMap(builtSources)) {
      const text = readFileSync(file, 'utf8');
      // Value imports and re-exports (type-only ones are erased by tsc), require() and import().
      const specifiers = [
        ...[...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].filter((m) => !m[1]).map((m) => m[2]!),
        ...[...text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
      ];
      for (const s of specifiers) {
        if (s.startsWith('.') || s.startsWith('node:') || s.startsWith('@datafactory/') || builtinModules.includes(s)) continue;
        imported.set(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!, file.slice(ROOT.length + 1));
      }
    }
    expect(imported.has('@nestjs/core')).toBe(true);
    const production = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    expect([...imported].filter(([name]) => !production.includes(name)).map(([name, file]) => `${name} (${file})`)).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it.each([
    '.git/HEAD',
    'node_modules/typeorm/index.js',
    'dist/apps/gateway/src/main.js',
    '.env',
    'apps/gateway/.env',
    'libs/db/node_modules/pg/index.js',
    'coverage/lcov.info',
    'tmp/test-logs/a.log',
    '.stack/logs/gateway.log',
    'helm/values.yaml',
    'apps/gateway/src/gateway.config.spec.ts',
  ])('keeps %s out of the build context', (path) => {
    expect(dockerignoreExcludes(ignore, path)).toBe(true);
  });

  it.each(['package.json', 'package-lock.json', 'tsconfig.build.json', 'apps/gateway/src/main.ts', 'libs/db/src/cli/migrate.ts', 'deploy/docker/entrypoint.sh'])(
    'lets %s in',
    (path) => {
      expect(dockerignoreExcludes(ignore, path)).toBe(false);
    },
  );
});

describe('package-lock.json', () => {
  /**
   * The image installs with `npm install` against this lock (see the Dockerfile): every locked version is kept,
   * and only entries the lock lacks are resolved. The lock is written against a registry mirror without other
   * platforms' optional binaries (@swc/core-darwin-*, @nx/nx-win32-*, ...), so those may be missing; anything
   * else missing would be resolved at build time, unpinned, and must not be.
   */
  it('pins every package the tree needs, except other platforms\' optional binaries', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; link?: boolean }>;
    };
    const missing = new Set<string>();
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (entry.link) continue;
      // Optional dependencies are left out: those are the per-platform binaries npm picks at install time.
      const needed = { ...entry.dependencies, ...(path === '' ? entry.devDependencies : {}) };
      for (const name of Object.keys(needed)) {
        // Node's lookup: the package's own node_modules, then each ancestor's, then the root's.
        let base = path;
        for (;;) {
          if (lock.packages[`${base ? `${base}/` : ''}node_modules/${name}`]) break;
          if (!base) {
            missing.add(`${path || '(root)'} → ${name}`);
            break;
          }
          const cut = base.lastIndexOf('/node_modules/');
          base = cut < 0 ? '' : base.slice(0, cut);
        }
      }
    }
    expect([...missing].sort()).toEqual([]);
  });
});
