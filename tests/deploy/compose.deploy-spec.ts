import { GENERATED_SECRETS } from '@datafactory/config';
import Ajv, { ValidateFunction } from 'ajv';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { loadGovernanceConfig } from '../../apps/governance/src/governance.config';
import { loadIngestConfig } from '../../apps/ingest/src/ingest.config';
import { loadJobOrchestratorConfig } from '../../apps/job-orchestrator/src/job-orchestrator.config';
import { loadSearchConfig } from '../../apps/search/src/search.config';
import {
  APPS,
  APP_NAMES,
  AppName,
  ComposeFile,
  DEPLOY,
  Env,
  ROOT,
  SECRETS_MOUNT,
  asList,
  dependsOn,
  effectiveEnv,
  hostPath,
  imageServices,
  loadCompose,
  mounts,
  publishedPorts,
  removeTempDirs,
  runSecretsInit,
  serviceEnv,
  tempDir,
} from './support/compose';
import { parseAssignments, parseDockerfile, stageInstructions } from './support/dockerfile';

/**
 * deploy/docker-compose.yml against the Compose Specification's JSON schema and the rules an operator relies on:
 * start order, health checks, durable Redis, what is published, secrets as files made by secrets-init, every
 * service's environment accepted by that service's own config schema, Prometheus scraping every metrics port
 * (promtool), and Grafana provisioned with dashboards that resolve their data source.
 */
const compose: ComposeFile = loadCompose();
const services = compose.services;
afterAll(removeTempDirs);

/** The image's own ENV (the final Dockerfile stage), which the compose environment adds to. */
const imageEnv: Env = (() => {
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).stages;
  return Object.assign({}, ...stageInstructions(stages[stages.length - 1]!, 'ENV').map((i) => parseAssignments(i.args))) as Env;
})();

const loaders: Record<AppName, (env: NodeJS.ProcessEnv) => object> = {
  gateway: loadGatewayConfig,
  ingest: loadIngestConfig,
  search: loadSearchConfig,
  'job-orchestrator': loadJobOrchestratorConfig,
  governance: loadGovernanceConfig,
};

/** The Compose Specification's schema, as vendored by the dclint package (compose-spec/compose-spec, schema/compose-spec.json). */
function composeSpecSchema(): object {
  let pkgJson: string;
  try {
    pkgJson = require.resolve('dclint/package.json');
  } catch {
    throw new Error('the Compose Specification schema comes from the dclint package: add it (npm install --save-dev dclint@3.1.0)');
  }
  const { $schema, ...schema } = JSON.parse(readFileSync(join(dirname(pkgJson), 'schemas', 'compose.schema.json'), 'utf8')) as { $schema?: string };
  // Ajv's default dialect is draft-07, registered under the http:// id; the file names the https:// one.
  if (!/draft-07/.test($schema ?? '')) throw new Error(`the Compose schema is ${$schema}, not draft-07: use the matching Ajv class`);
  return schema;
}

describe('docker-compose.yml: the Compose Specification', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = new Ajv({ allErrors: true, strict: false }).compile(composeSpecSchema());
  });

  it('is a valid Compose file', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked for real: a broken variant is rejected', () => {
    const broken = structuredClone(compose);
    broken.services['gateway']!.depends_on = { migrate: { condition: 'sometimes' } };
    expect(validate(broken)).toBe(false);
  });
});

describe('docker-compose.yml: the stack', () => {
  it('runs each of the five services and the migration from the repository image, with the program as the argument', () => {
    const built = imageServices(compose).sort();
    expect(built).toEqual([...APP_NAMES, 'migrate', 'secrets-init'].sort());
    const builds = new Set(built.map((name) => JSON.stringify(services[name]!.build)));
    expect(builds.size).toBe(1);
    expect(JSON.parse([...builds][0]!)).toMatchObject({ context: '..', dockerfile: 'Dockerfile' });
    for (const name of [...APP_NAMES, 'migrate']) expect(asList(services[name]!.command)).toEqual([name]);
  });

  it.each(APP_NAMES)('%s is hardened: read-only root, tmpfs /tmp, no capabilities, no privilege escalation, restarts', (name) => {
    const s = services[name]!;
    expect(s.read_only).toBe(true);
    expect(asList(s.tmpfs)).toContain('/tmp');
    expect(s.cap_drop).toEqual(['ALL']);
    expect(s.cap_add ?? []).toEqual([]);
    expect(s.security_opt).toContain('no-new-privileges:true');
    expect(s.restart).toBe('unless-stopped');
    expect(s.user).toBeUndefined();
    expect(s.deploy?.resources?.limits?.memory).toBe('1g');
    // Longer than SHUTDOWN_TIMEOUT_MS (10 s), so graceful shutdown is not cut short.
    expect(Number(/^(\d+)s$/.exec(s.stop_grace_period ?? '')?.[1])).toBeGreaterThan(10);
  });

  it.each(APP_NAMES)('%s has a health check on /health/ready of its own API port, with node (the image has no curl)', (name) => {
    const test = asList(services[name]!.healthcheck?.test);
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const port = serviceEnv(services[name]!)[APPS[name]];
    expect(port).toMatch(/^\d+$/);
    expect(test[3]).toContain(`fetch('http://127.0.0.1:${port}/health/ready')`);
    expect(test[3]).toMatch(/process\.exit\(r\.ok \? 0 : 1\)/);
  });

  it('every other long-running container has a health check too', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no') continue;
      expect({ name, healthcheck: asList(s.healthcheck?.test).length > 0 }).toEqual({ name, healthcheck: true });
    }
  });

  it.each(APP_NAMES)('%s starts after the secrets and the migration completed, and Postgres and Redis are healthy', (name) => {
    expect(dependsOn(services[name]!)).toMatchObject({
      'secrets-init': 'service_completed_successfully',
      migrate: 'service_completed_successfully',
      postgres: 'service_healthy',
      redis: 'service_healthy',
    });
  });

  it('the migration waits for a healthy Postgres and runs once; the gateway waits for the four services it fronts', () => {
    expect(dependsOn(services['migrate']!)).toMatchObject({ 'secrets-init': 'service_completed_successfully', postgres: 'service_healthy' });
    expect(services['migrate']!.restart).toBe('no');
    expect(services['secrets-init']!.restart).toBe('no');
    for (const upstream of APP_NAMES.filter((n) => n !== 'gateway')) expect(dependsOn(services['gateway']!)[upstream]).toBe('service_healthy');
    for (const name of ['postgres', 'grafana']) expect(dependsOn(services[name]!)['secrets-init']).toBe('service_completed_successfully');
  });

  it('Redis keeps an append-only file and never evicts (the services refuse to be ready otherwise), on a volume', () => {
    const command = asList(services['redis']!.command).join(' ');
    expect(services['redis']!.image).toMatch(/^redis:7\./);
    expect(command).toMatch(/--appendonly\s+yes\b/);
    expect(command).toMatch(/--maxmemory-policy\s+noeviction\b/);
    expect(mounts(services['redis']!)).toEqual(expect.arrayContaining([expect.objectContaining({ target: '/data', named: true })]));
  });

  it('Postgres has pgvector, a volume, and an init script that creates the extension and the services\' non-superuser role', () => {
    const pg = services['postgres']!;
    expect(pg.image).toMatch(/^pgvector\/pgvector:/);
    const m = mounts(pg);
    expect(m).toEqual(expect.arrayContaining([expect.objectContaining({ target: '/var/lib/postgresql/data', named: true })]));
    const init = m.find((x) => x.target.startsWith('/docker-entrypoint-initdb.d/'));
    expect(init).toBeDefined();
    const sql = readFileSync(hostPath(init!.source), 'utf8');
    expect(sql).toMatch(/CREATE EXTENSION IF NOT EXISTS vector/);
    const role = /^CREATE ROLE datafactory LOGIN[^;]*;/m.exec(sql)?.[0];
    expect(role).toBeDefined();
    expect(role).not.toMatch(/SUPERUSER|CREATEROLE/i);
    const passwordVar = /cat "\$(\w+)"/.exec(sql)?.[1];
    expect(serviceEnv(pg)[passwordVar ?? '']).toBe(`${SECRETS_MOUNT}/DB_PASSWORD`);
    expect(asList(pg.healthcheck?.test)).toEqual(expect.arrayContaining(['pg_isready', '-h', '127.0.0.1']));
  });

  it('publishes only the gateway, Jaeger UI, Prometheus and Grafana, and only on 127.0.0.1', () => {
    const published = Object.fromEntries(Object.entries(services).filter(([, s]) => (s.ports ?? []).length > 0).map(([name, s]) => [name, publishedPorts(s)]));
    expect(published).toEqual({
      gateway: ['127.0.0.1:8080:8080'],
      jaeger: ['127.0.0.1:16686:16686'],
      prometheus: ['127.0.0.1:9090:9090'],
      grafana: ['127.0.0.1:3000:3000'],
    });
  });

  it('every bind-mounted file or folder exists in the repository, and every named volume is declared', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const m of mounts(s)) {
        if (m.named) expect({ name, volume: m.source, declared: Object.keys(compose.volumes ?? {}).includes(m.source) }).toEqual({ name, volume: m.source, declared: true });
        else expect({ name, source: m.source, exists: existsSync(hostPath(m.source)) }).toEqual({ name, source: m.source, exists: true });
      }
    }
  });
});

describe('docker-compose.yml: configuration and secrets', () => {
  let secretsDir: string;
  beforeAll(() => {
    secretsDir = runSecretsInit();
  });

  it.each([...APP_NAMES, 'migrate'])('%s runs without .env, in production, listening on all interfaces, with the database from a secret file', (name) => {
    const env = serviceEnv(services[name]!);
    expect(env).toMatchObject({ ENV_FILE: 'none', NODE_ENV: 'production', BIND_HOST: '0.0.0.0', DATABASE_URL_FILE: `${SECRETS_MOUNT}/DATABASE_URL` });
    expect(mounts(services[name]!)).toEqual(expect.arrayContaining([{ source: 'secrets', target: SECRETS_MOUNT, readOnly: true, named: true }]));
  });

  it.each(APP_NAMES)('%s traces to Jaeger over OTLP/HTTP, tagged with the compose environment', (name) => {
    expect(serviceEnv(services[name]!)).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=compose',
    });
    const jaeger = services['jaeger']!;
    // Jaeger v2 receives OTLP by default; v1 all-in-one only with COLLECTOR_OTLP_ENABLED.
    expect(/^jaegertracing\/jaeger:2\./.test(jaeger.image ?? '') || serviceEnv(jaeger)['COLLECTOR_OTLP_ENABLED'] === 'true').toBe(true);
  });

  it('no secret is written into the compose file: secrets are NAME_FILE paths into the secrets volume', () => {
    const secretNames = [...GENERATED_SECRETS, 'DATABASE_URL', 'POSTGRES_PASSWORD', 'GF_SECURITY_ADMIN_PASSWORD'];
    for (const [name, s] of Object.entries(services)) {
      const env = serviceEnv(s);
      for (const key of secretNames) {
        // secrets-init only passes optional overrides through from the operator's environment.
        if (key in env) expect({ name, key, value: env[key] }).toEqual({ name, key, value: name === 'secrets-init' ? `\${${key}:-}` : undefined });
      }
      for (const [key, value] of Object.entries(env)) {
        if (/_FILE$|__FILE$/.test(key) && key !== 'ENV_FILE') expect(value.startsWith(`${SECRETS_MOUNT}/`)).toBe(true);
      }
    }
  });

  it('secrets-init makes every secret file the compose file refers to', () => {
    const referenced = Object.values(services).flatMap((s) =>
      Object.entries(serviceEnv(s))
        .filter(([key, value]) => key !== 'ENV_FILE' && key.endsWith('FILE') && value.startsWith(`${SECRETS_MOUNT}/`))
        .map(([, value]) => value.slice(SECRETS_MOUNT.length + 1)),
    );
    expect(referenced.length).toBeGreaterThan(0);
    const made = readdirSync(secretsDir);
    for (const file of new Set(referenced)) expect(made).toContain(file);
  });

  it.each(APP_NAMES)('%s gets exactly the secrets its config requires, and its config accepts the environment', (name) => {
    const env = effectiveEnv(imageEnv, services[name]!, secretsDir);
    expect(() => loaders[name](env)).not.toThrow();
    // Each secret it is given is one it cannot start without: least privilege.
    const given = GENERATED_SECRETS.filter((key) => key in env);
    for (const key of given) {
      const { [key]: _removed, ...without } = env;
      expect(() => loaders[name](without)).toThrow(new RegExp(key));
    }
    // And every secret it needs is given (otherwise the load above would have thrown).
    expect(given.length).toBeGreaterThan(0);
  });

  it('the services reach each other, Postgres and Redis by compose service name and configured port', () => {
    const envs = Object.fromEntries(APP_NAMES.map((name) => [name, effectiveEnv(imageEnv, services[name]!, secretsDir)])) as Record<AppName, Env>;
    for (const name of APP_NAMES) {
      expect(new URL(envs[name]['DATABASE_URL']!).host).toBe('postgres:5432');
      expect(new URL(envs[name]['REDIS_URL']!).host).toBe('redis:6379');
    }
    const urls = { INGEST_URL: 'ingest', SEARCH_URL: 'search', JOB_ORCHESTRATOR_URL: 'job-orchestrator', GOVERNANCE_URL: 'governance' } as const;
    for (const [key, target] of Object.entries(urls)) {
      expect(envs.gateway[key]).toBe(`http://${target}:${envs[target][APPS[target]]}`);
    }
  });
});

describe('secrets-init', () => {
  const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

  it('generates long random secrets once, private to their reader, and keeps them on later runs', () => {
    const dir = runSecretsInit();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(
      ['ADMIN_TOKEN', 'API_KEY_PEPPER', 'DATABASE_URL', 'DB_PASSWORD', 'GOVERNANCE_SIGNING_KEY', 'GRAFANA_ADMIN_PASSWORD', 'INTERNAL_TOKEN', 'POSTGRES_PASSWORD'].sort(),
    );
    for (const file of files.filter((f) => f !== 'DATABASE_URL')) expect(read(dir, file)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(read(dir, 'ADMIN_TOKEN')).not.toBe(read(dir, 'INTERNAL_TOKEN'));
    expect(read(dir, 'DATABASE_URL')).toBe(`postgres://datafactory:${read(dir, 'DB_PASSWORD')}@postgres:5432/datafactory`);
    expect(statSync(dir).mode & 0o777).toBe(0o711);
    for (const file of files) expect(statSync(join(dir, file)).mode & 0o777).toBe(0o400);

    const before = Object.fromEntries(files.map((f) => [f, read(dir, f)]));
    runSecretsInit({}, dir);
    expect(Object.fromEntries(files.map((f) => [f, read(dir, f)]))).toEqual(before);
  });

  it('hands each file to the user of the image that reads it (when run as root, as in Compose)', () => {
    if (process.getuid?.() !== 0) throw new Error('this test checks file ownership and needs to run as root (as npm test does in CI)');
    const dir = runSecretsInit();
    const owner = (f: string) => statSync(join(dir, f)).uid;
    // 10001: the DataFactory image's USER; 999: postgres in the postgres image; 472: grafana in the grafana image.
    for (const f of ['ADMIN_TOKEN', 'API_KEY_PEPPER', 'INTERNAL_TOKEN', 'GOVERNANCE_SIGNING_KEY', 'DATABASE_URL']) expect({ f, uid: owner(f) }).toEqual({ f, uid: 10001 });
    for (const f of ['POSTGRES_PASSWORD', 'DB_PASSWORD']) expect({ f, uid: owner(f) }).toEqual({ f, uid: 999 });
    expect(owner('GRAFANA_ADMIN_PASSWORD')).toBe(472);
  });

  it('takes an operator\'s own value from the environment, and refuses one too short', () => {
    const dir = runSecretsInit();
    const chosen = 'my-own-admin-token-of-sufficient-length';
    runSecretsInit({ ADMIN_TOKEN: chosen }, dir);
    expect(read(dir, 'ADMIN_TOKEN')).toBe(chosen);
    expect(() => runSecretsInit({ ADMIN_TOKEN: 'short' }, dir)).toThrow();
    expect(read(dir, 'ADMIN_TOKEN')).toBe(chosen);
  });
});

describe('Prometheus in the compose stack', () => {
  const prom = services['prometheus']!;
  const configPath = asList(prom.command).find((a) => a.startsWith('--config.file='))?.split('=')[1] ?? '';
  const configMount = mounts(prom).find((m) => m.target === configPath);
  const config = parse(readFileSync(hostPath(configMount?.source ?? ''), 'utf8')) as {
    rule_files: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };

  it('loads a config file mounted from deploy/, and alert rules mounted beside it', () => {
    expect(configMount).toBeDefined();
    const ruleTargets = config.rule_files.map((r) => join(dirname(configPath), r));
    for (const target of ruleTargets) {
      const m = mounts(prom).find((x) => x.target === target);
      expect(m).toBeDefined();
      expect(hostPath(m!.source)).toBe(join(DEPLOY, 'prometheus', 'alerts.yml'));
    }
  });

  it('scrapes every service on its metrics port (METRICS_PORT), as job datafactory-<service>', () => {
    const jobs = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j.static_configs.flatMap((c) => c.targets)]));
    expect(Object.keys(jobs).sort()).toEqual(APP_NAMES.map((n) => `datafactory-${n}`).sort());
    for (const name of APP_NAMES) {
      const port = serviceEnv(services[name]!)['METRICS_PORT'];
      expect(port).toMatch(/^\d+$/);
      expect(jobs[`datafactory-${name}`]).toEqual([`${name}:${port}`]);
    }
  });

  it('has the same jobs and ports as the local stack\'s deploy/prometheus/prometheus.yml', () => {
    const local = parse(readFileSync(join(DEPLOY, 'prometheus', 'prometheus.yml'), 'utf8')) as typeof config;
    const portsOf = (c: typeof config) => Object.fromEntries(c.scrape_configs.map((j) => [j.job_name, j.static_configs.flatMap((s) => s.targets.map((t) => t.split(':')[1]))]));
    expect(portsOf(config)).toEqual(portsOf(local));
  });

  it('promtool accepts the config and the rules it loads', () => {
    const dir = tempDir('df-prometheus-');
    copyFileSync(hostPath(configMount!.source), join(dir, 'prometheus.yml'));
    for (const rule of config.rule_files) {
      const m = mounts(prom).find((x) => x.target === join(dirname(configPath), rule))!;
      copyFileSync(hostPath(m.source), join(dir, rule));
    }
    let out: string;
    try {
      out = execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`promtool check config failed (promtool comes with Debian's prometheus package):\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
    }
    expect(out).toMatch(/SUCCESS/);
    expect(out).toMatch(/rules found/);
  });
});

describe('Grafana in the compose stack', () => {
  const grafana = services['grafana']!;
  const grafanaMounts = mounts(grafana);
  const provisioningDir = (kind: string) => {
    const m = grafanaMounts.find((x) => x.target === `/etc/grafana/provisioning/${kind}`);
    expect(m).toBeDefined();
    return hostPath(m!.source);
  };
  const yamlFiles = (dir: string) => readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);

  it('provisions Prometheus (default) and Jaeger as data sources, by compose service name', () => {
    const sources = yamlFiles(provisioningDir('datasources')).flatMap((f) => f['datasources'] as Array<{ type: string; url: string; uid: string; isDefault?: boolean }>);
    expect(sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
        expect.objectContaining({ type: 'jaeger', url: 'http://jaeger:16686' }),
      ]),
    );
  });

  it('loads the dashboards of deploy/grafana/dashboards from the folder they are mounted at, home page included', () => {
    const providers = yamlFiles(provisioningDir('dashboards')).flatMap((f) => f['providers'] as Array<{ type: string; options: { path: string } }>);
    expect(providers.length).toBeGreaterThan(0);
    const dashboards = join(DEPLOY, 'grafana', 'dashboards');
    const json = readdirSync(dashboards).filter((f) => f.endsWith('.json'));
    expect(json.length).toBeGreaterThanOrEqual(5);
    for (const provider of providers) {
      const m = grafanaMounts.find((x) => x.target === provider.options.path);
      expect(m).toBeDefined();
      expect(hostPath(m!.source)).toBe(dashboards);
    }
    const home = serviceEnv(grafana)['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'] ?? '';
    const homeMount = grafanaMounts.find((x) => home.startsWith(`${x.target}/`));
    expect(homeMount).toBeDefined();
    expect(existsSync(join(hostPath(homeMount!.source), home.slice(homeMount!.target.length + 1)))).toBe(true);
  });

  it('every data source a dashboard refers to through a variable is a datasource variable of a provisioned type', () => {
    // File provisioning does not resolve an export's __inputs (${DS_PROMETHEUS}); a dashboard variable does.
    const provisionedTypes = new Set(
      yamlFiles(provisioningDir('datasources')).flatMap((f) => (f['datasources'] as Array<{ type: string }>).map((d) => d.type)),
    );
    const dashboards = join(DEPLOY, 'grafana', 'dashboards');
    for (const file of readdirSync(dashboards).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(dashboards, file), 'utf8');
      const dashboard = JSON.parse(text) as { templating?: { list?: Array<{ name: string; type: string; query: string }> } };
      const variables = new Map((dashboard.templating?.list ?? []).map((v) => [v.name, v]));
      const referenced = new Set([...text.matchAll(/"uid":\s*"\$\{?(\w+)\}?"/g)].map((m) => m[1]!));
      for (const name of referenced) {
        const variable = variables.get(name);
        expect({ file, name, type: variable?.type }).toEqual({ file, name, type: 'datasource' });
        expect(provisionedTypes.has(variable!.query)).toBe(true);
      }
    }
  });
});
