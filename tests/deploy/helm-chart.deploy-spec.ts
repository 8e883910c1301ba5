/**
 * The Helm chart (helm/datafactory), rendered by Helm's own template engine (tools/helm-render) with its default
 * values, each example and the optional features, then checked as a cluster and the apps would see it:
 * Kubernetes schemas (kubernetes-models), the apps' zod config loaders on the resolved environment, hook order,
 * the values schema against the apps' ranges, and the README against values.yaml.
 */
import Ajv, { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueKeys } from 'bullmq';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { JobMessage, JobPriority, QueueName } from '@datafactory/contracts';
import { databaseConfig, loadConfig } from '@datafactory/config';
import { jobOptions } from '@datafactory/queue';
import { tracingEnabled } from '@datafactory/telemetry/tracing';
import { gatewayConfigSchema, loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { governanceConfigSchema, loadGovernanceConfig } from '../../apps/governance/src/governance.config';
import { ingestConfigSchema, loadIngestConfig } from '../../apps/ingest/src/ingest.config';
import { jobOrchestratorConfigSchema, loadJobOrchestratorConfig } from '../../apps/job-orchestrator/src/job-orchestrator.config';
import { loadSearchConfig, searchConfigSchema } from '../../apps/search/src/search.config';
import { TABLE_END, TABLE_START, documentedKeys, leafKeys, valuesTable } from '../../tools/helm-render/values-table';
import { SERVICE_PORT_VARIABLE } from '../../libs/testing/src/stack';
import {
  CHART,
  ConfigMap,
  ExternalSecrets,
  K8sObject,
  ROOT,
  Secret,
  Workload,
  containerEnv,
  ensureRenderer,
  find,
  isHook,
  ofKind,
  podDependencies,
  readChartFile,
  render,
  renderError,
  renderRaw,
  selects,
  validateWithKubernetesModels,
  valuesFile,
} from './support/helm-chart';

type Component = 'gateway' | 'ingest' | 'search' | 'job-orchestrator' | 'governance';

interface App {
  valuesKey: string;
  httpPort: number;
  metricsPort: number;
  portVariable: string;
  shape: Record<string, z.ZodType>;
  load: (env: NodeJS.ProcessEnv) => unknown;
}

// Ports are the apps' defaults (apps/*/src/*.config.ts); the chart passes them explicitly.
const APPS: Record<Component, App> = {
  gateway: { valuesKey: 'gateway', httpPort: 8080, metricsPort: 9101, portVariable: SERVICE_PORT_VARIABLE.gateway, shape: gatewayConfigSchema.shape, load: loadGatewayConfig },
  ingest: { valuesKey: 'ingest', httpPort: 8081, metricsPort: 9102, portVariable: SERVICE_PORT_VARIABLE.ingest, shape: ingestConfigSchema.shape, load: loadIngestConfig },
  search: { valuesKey: 'search', httpPort: 8082, metricsPort: 9103, portVariable: SERVICE_PORT_VARIABLE.search, shape: searchConfigSchema.shape, load: loadSearchConfig },
  'job-orchestrator': {
    valuesKey: 'jobOrchestrator',
    httpPort: 8083,
    metricsPort: 9104,
    portVariable: SERVICE_PORT_VARIABLE['job-orchestrator'],
    shape: jobOrchestratorConfigSchema.shape,
    load: loadJobOrchestratorConfig,
  },
  governance: { valuesKey: 'governance', httpPort: 8084, metricsPort: 9105, portVariable: SERVICE_PORT_VARIABLE.governance, shape: governanceConfigSchema.shape, load: loadGovernanceConfig },
};
const COMPONENTS = Object.keys(APPS) as Component[];

/** The optional worker-only ingest Deployment (`ingestWorker`): the ingest program, called by no one. */
const WORKER = 'ingest-worker';
/** What the chart can deploy: the services and the worker. */
type Deployed = Component | typeof WORKER;
const program = (deployed: Deployed): Component => (deployed === WORKER ? 'ingest' : deployed);
const ALL_DEPLOYED: Deployed[] = [...COMPONENTS, WORKER];
/** Settings the worker may not override (the chart sets WORKER_ENABLED; batch and synchronous upserts chunk alike). */
const WORKER_FIXED = ['WORKER_ENABLED', 'CHUNK_MAX_TOKENS', 'CHUNK_OVERLAP_TOKENS'];

/** Variables the chart sets itself rather than from `config`. */
const COMPUTED = new Set(['NODE_ENV', 'BIND_HOST', 'METRICS_PORT', 'DATABASE_URL', 'REDIS_URL', 'INGEST_URL', 'SEARCH_URL', 'JOB_ORCHESTRATOR_URL', 'GOVERNANCE_URL']);
/** Variables a container may carry that no zod schema knows: read by Node, the OTel SDK, or only used in `$(VAR)`. */
const OUTSIDE_SCHEMAS = new Set([
  'ENV_FILE',
  'NODE_EXTRA_CA_CERTS',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'K8S_POD_NAME',
  'DATABASE_PASSWORD',
  'REDIS_PASSWORD',
]);

const TOKEN = (name: string) => `${name.toLowerCase().replace(/_/g, '-')}-0123456789abcdef`;
const APP_SECRETS: Record<string, string> = {
  ADMIN_TOKEN: TOKEN('ADMIN_TOKEN'),
  API_KEY_PEPPER: TOKEN('API_KEY_PEPPER'),
  INTERNAL_TOKEN: TOKEN('INTERNAL_TOKEN'),
  GOVERNANCE_SIGNING_KEY: TOKEN('GOVERNANCE_SIGNING_KEY'),
  EMBEDDING_API_KEY: 'sk-test',
};
/** What the operator creates before installing with existingSecret values. */
const EXTERNAL: ExternalSecrets = {
  'datafactory-app': APP_SECRETS,
  'datafactory-postgres': { password: 'pg-password-0123' },
  'datafactory-redis': { password: 'redis-password-0123' },
  'datafactory-ca': { 'ca.crt': '-----BEGIN CERTIFICATE-----' },
  'corp-ca': { 'ca.crt': '-----BEGIN CERTIFICATE-----' },
  app: APP_SECRETS,
  pg: { url: 'postgres://df:secret@pg.example.com:6432/rag?sslmode=verify-full' },
  rd: { url: 'rediss://:secret@redis.example.com:6380/2', password: 'secret' },
};

const example = (name: string) => join(CHART, 'examples', `${name}.yaml`);
const defaults = parseYaml(readChartFile('values.yaml')) as Record<string, unknown>;
const schema = JSON.parse(readChartFile('values.schema.json')) as Record<string, unknown>;
const alerts = parseYaml(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
  groups: Array<{ rules: Array<{ alert: string; expr: string; annotations: Record<string, string> }> }>;
};

/** Everything optional turned on, on top of examples/minimal.yaml. */
const EVERYTHING = {
  redis: { password: 'redis-password-0123', username: 'datafactory', tls: { enabled: true } },
  trustedCa: { secretName: 'corp-ca' },
  secrets: { embeddingApiKey: 'sk-test' },
  config: { EMBEDDING_PROVIDER: 'openai', EMBEDDING_BASE_URL: 'https://embeddings.example.com:8443/v1', EMBEDDING_MODEL: 'e5', EMBEDDING_DIMENSIONS: 768 },
  tracing: { otlpEndpoint: 'http://otel-collector.observability:4318', environment: 'staging', samplerRatio: 0.25, resourceAttributes: { 'service.namespace': 'rag' } },
  gateway: { autoscaling: { enabled: true } },
  search: { autoscaling: { enabled: true, targetMemoryUtilizationPercentage: 80 } },
  // KEDA scales the separate worker, so the ingest API may have an HPA of its own.
  ingest: { autoscaling: { enabled: true } },
  ingestWorker: { enabled: true, config: { WORKER_CONCURRENCY: 8 } },
  keda: { enabled: true },
  ingress: { enabled: true, className: 'nginx', tls: [{ secretName: 'df-tls', hosts: ['datafactory.example.com'] }] },
  networkPolicy: { enabled: true },
  metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true } },
};

/** Every secret from existing Secrets, the store URLs whole. */
const URL_SECRETS = {
  secrets: { existingSecret: 'app' },
  postgres: { existingSecret: 'pg', existingSecretUrlKey: 'url' },
  redis: { existingSecret: 'rd', existingSecretUrlKey: 'url' },
};

interface Scenario {
  name: string;
  values: () => string[];
  /** The Deployments it must render. */
  deployed: Deployed[];
}

const SCENARIOS: Scenario[] = [
  { name: 'examples/minimal.yaml', values: () => [example('minimal')], deployed: COMPONENTS },
  { name: 'examples/production.yaml', values: () => [example('production')], deployed: ALL_DEPLOYED },
  { name: 'every optional feature on', values: () => [example('minimal'), valuesFile('everything', EVERYTHING)], deployed: ALL_DEPLOYED },
  { name: 'existing Secrets with whole URLs', values: () => [valuesFile('url-secrets', URL_SECRETS)], deployed: COMPONENTS },
];

const rendered = new Map<string, K8sObject[]>();
function objectsOf(scenario: Scenario): K8sObject[] {
  let objects = rendered.get(scenario.name);
  if (!objects) {
    objects = render({ values: scenario.values() });
    rendered.set(scenario.name, objects);
  }
  return objects;
}

const deploymentName = (component: string) => `df-datafactory-${component}`;
const container = (workload: Workload) => workload.spec.template.spec.containers[0]!;

function appEnv(objects: K8sObject[], component: Deployed): Record<string, string> {
  return containerEnv(objects, container(find<Workload>(objects, 'Deployment', deploymentName(component))), EXTERNAL);
}

/** Deep merge like helm's coalescing of values files, for validating what helm validates. */
function merge(base: unknown, over: unknown): unknown {
  if (over === null) return undefined;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || Array.isArray(over)) return over ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over as Record<string, unknown>)) {
    const merged = merge(out[key], value);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
const validateValues = ajv.compile(schema);
function schemaErrors(values: unknown): ErrorObject[] {
  return validateValues(values) ? [] : [...(validateValues.errors ?? [])];
}
const minimalValues = merge(defaults, parseYaml(readFileSync(example('minimal'), 'utf8'))) as Record<string, unknown>;
function withValue(path: string, value: unknown): Record<string, unknown> {
  const patch = path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value);
  return merge(minimalValues, patch) as Record<string, unknown>;
}

/** The chart's table of what each service reads (templates/_helpers.tpl, "datafactory.components"). */
function chartComponents(): Record<Deployed, { values: string; variables: string[]; secrets: string[] }> {
  const helpers = readChartFile('templates', '_helpers.tpl');
  const body = /{{- define "datafactory.components" -}}\n([\s\S]*?)\n{{- end }}/.exec(helpers)?.[1];
  if (!body) throw new Error('no datafactory.components in _helpers.tpl');
  return parseYaml(body) as Record<Deployed, { values: string; variables: string[]; secrets: string[] }>;
}

const zodDefault = (field: z.ZodType): unknown => field.safeParse(undefined).data;

beforeAll(() => {
  ensureRenderer();
}, 180_000);

describe('the renderer', () => {
  it('refuses the default values alone, naming what is required', () => {
    expect(renderError({})).toContain('secrets.adminToken is required');
    const withSecrets = valuesFile('only-secrets', { secrets: parseYaml(readFileSync(example('minimal'), 'utf8')).secrets });
    expect(renderError({ values: [withSecrets] })).toContain('postgres.host is required');
  });

  it('validates values against values.schema.json as helm does: unknown keys and wrong types stop the install', () => {
    const error = renderError({ values: [example('minimal')], set: ['gateway.replicas=3', 'redis.port=six'] });
    expect(error).toContain("values don't meet the specifications of the schema");
    expect(error).toContain('gateway: Additional property replicas is not allowed');
    expect(error).toContain('redis.port: Invalid type. Expected: integer, given: string');
  });

  it('honours the kubeVersion constraint of Chart.yaml', () => {
    expect(renderError({ values: [example('minimal')], kubeVersion: 'v1.29.4' })).toContain('incompatible with Kubernetes v1.29.4');
    expect(renderRaw({ values: [example('minimal')], kubeVersion: 'v1.30.0' }).ok).toBe(true);
  });

  it('renders NOTES.txt for installs and upgrades', () => {
    const install = renderRaw({ values: [example('minimal')], notes: true });
    expect(install.stdout).toContain('is installed as release "df"');
    expect(install.stdout).toContain('kubectl -n rag port-forward svc/df-datafactory-gateway 8080:8080');
    const upgrade = renderRaw({ values: [example('production')], notes: true, isUpgrade: true });
    expect(upgrade.stdout).toContain('is upgraded');
    expect(upgrade.stdout).toContain('https://rag.example.com/');
  });
});

describe('values.schema.json', () => {
  it('is a valid draft-07 schema that accepts values.yaml and the examples merged with it', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(schemaErrors(defaults)).toEqual([]);
    for (const name of ['minimal', 'production']) {
      expect(schemaErrors(merge(defaults, parseYaml(readFileSync(example(name), 'utf8'))))).toEqual([]);
    }
    expect(schemaErrors(merge(minimalValues, EVERYTHING))).toEqual([]);
  });

  it('rejects unknown keys at every level', () => {
    for (const path of [
      'bogus',
      'image.bogus',
      'gateway.service.bogus',
      'ingest.resources.requests.gpu',
      'config.NOT_A_SETTING',
      'keda.bogus',
      'podSecurityContext.bogus',
      'ingestWorker.bogus',
      // The worker has no API Service to configure.
      'ingestWorker.service',
    ]) {
      expect({ path, errors: schemaErrors(withValue(path, 1)).map((e) => e.keyword) }).toEqual({ path, errors: expect.arrayContaining(['additionalProperties']) });
    }
  });

  it("rejects in a service's own config what it does not read and what every service must share", () => {
    expect(schemaErrors(withValue('gateway.config.WORKER_CONCURRENCY', 4)).map((e) => e.keyword)).toContain('additionalProperties');
    expect(schemaErrors(withValue('search.config.EMBEDDING_MODEL', 'x')).map((e) => e.keyword)).toContain('additionalProperties');
    expect(schemaErrors(withValue('ingest.config.WORKER_CONCURRENCY', 4))).toEqual([]);
    expect(schemaErrors(withValue('ingestWorker.config.WORKER_CONCURRENCY', 4))).toEqual([]);
    for (const variable of WORKER_FIXED) {
      expect({ variable, keywords: schemaErrors(withValue(`ingestWorker.config.${variable}`, 100)).map((e) => e.keyword) }).toEqual({
        variable,
        keywords: expect.arrayContaining(['additionalProperties']),
      });
    }
  });

  it("lets the worker override in its own config what ingest may, except what it must share with ingest's API", () => {
    const properties = schema['properties'] as Record<string, { properties: { config: { properties: Record<string, unknown> } } }>;
    const ingestKeys = Object.keys(properties['ingest']!.properties.config.properties);
    const workerKeys = Object.keys(properties['ingestWorker']!.properties.config.properties);
    expect(workerKeys).toEqual(ingestKeys.filter((key) => !WORKER_FIXED.includes(key)));
    expect(WORKER_FIXED.every((key) => ingestKeys.includes(key))).toBe(true);
  });

  it('rejects wrong types and values', () => {
    const cases: Array<[string, unknown]> = [
      ['redis.port', '6379'],
      ['gateway.replicaCount', -1],
      ['secrets.adminToken', 'too-short'],
      ['postgres.sslMode', 'allow'],
      ['config.WORKER_ENABLED', 'yes'],
      ['config.LOG_LEVEL', 'verbose'],
      ['config.QUEUE_PREFIX', 'has space'],
      ['keda.minReplicaCount', 0],
      ['image.digest', 'sha256:short'],
    ];
    for (const [path, value] of cases) expect({ path, valid: schemaErrors(withValue(path, value)).length === 0 }).toEqual({ path, valid: false });
  });

  it('has, for every setting, the range and choices the services that read it accept together', () => {
    const configSchema = (schema['definitions'] as Record<string, { properties: Record<string, { type: string[]; minimum?: number; maximum?: number; enum?: unknown[]; pattern?: string }> }>)['config']!.properties;
    const components = chartComponents();
    for (const [variable, spec] of Object.entries(configSchema)) {
      const readers = COMPONENTS.filter((c) => components[c].variables.includes(variable));
      expect({ variable, readers: readers.length > 0 }).toEqual({ variable, readers: true });
      // One value goes to every reader, so the schema allows what all of them accept (MAX_BODY_BYTES has a
      // maximum in the gateway only).
      const allAccept = (value: unknown) => readers.every((c) => APPS[c].shape[variable]!.safeParse(String(value)).success);
      const schemaAccepts = (value: unknown) => schemaErrors(withValue(`config.${variable}`, value)).length === 0;
      if (spec.type.includes('integer')) {
        const min = spec.minimum!;
        const max = spec.maximum!;
        expect({ variable, min: allAccept(min), max: allAccept(max), below: allAccept(min - 1), above: allAccept(max + 1) }).toEqual({
          variable,
          min: true,
          max: true,
          below: false,
          above: false,
        });
        expect({ variable, below: schemaAccepts(min - 1), above: schemaAccepts(max + 1), fraction: schemaAccepts(min + 0.5) }).toEqual({
          variable,
          below: false,
          above: false,
          fraction: false,
        });
      } else if (spec.enum) {
        for (const value of spec.enum.filter((v) => v !== null)) expect({ variable, value, ok: allAccept(value) }).toEqual({ variable, value, ok: true });
        expect({ variable, bogus: allAccept('bogus') }).toEqual({ variable, bogus: false });
      } else if (spec.type.includes('boolean')) {
        expect({ variable, t: allAccept(true), f: allAccept(false), other: allAccept('yes') }).toEqual({ variable, t: true, f: true, other: false });
      } else if (spec.pattern) {
        // "" is "unset" to the apps (libs/config/src/load-config.ts), so zod never sees it.
        for (const value of ['df', 'a'.repeat(64), 'a'.repeat(65), 'has space', 'https://x.example/v1', 'ftp://x']) {
          expect({ variable, value, agrees: new RegExp(spec.pattern).test(value) === allAccept(value) }).toEqual({ variable, value, agrees: true });
        }
      }
    }
  });
});

describe('values.yaml and the README', () => {
  const valuesText = readChartFile('values.yaml');

  it('documents every leaf of values.yaml in the README table (itself or a documented parent)', () => {
    const documented = new Set(documentedKeys(valuesText).map((d) => d.key));
    const undocumented = leafKeys(defaults).filter((leaf) => !leaf.split('.').some((_, i, parts) => documented.has(parts.slice(0, i + 1).join('.'))));
    expect(undocumented).toEqual([]);
    const readme = readChartFile('README.md');
    for (const key of documented) expect(readme).toContain(`| \`${key}\` |`);
  });

  it('has the README table generated from values.yaml and the schema (node tools/helm-render/values-table.ts --write)', () => {
    const readme = readChartFile('README.md');
    const block = readme.slice(readme.indexOf(TABLE_START) + TABLE_START.length, readme.indexOf(TABLE_END)).trim();
    expect(block).toBe(valuesTable(valuesText, schema));
  });

  it("knows every setting of every service: the chart's table plus what it computes is exactly each zod schema", () => {
    const components = chartComponents();
    for (const component of COMPONENTS) {
      const app = APPS[component];
      const chartKnows = new Set([...components[component].variables, ...components[component].secrets, ...COMPUTED, app.portVariable]);
      const schemaKeys = Object.keys(app.shape);
      expect({ component, unknownToChart: schemaKeys.filter((k) => !chartKnows.has(k)) }).toEqual({ component, unknownToChart: [] });
      const notRead = [...components[component].variables, ...components[component].secrets].filter((k) => !schemaKeys.includes(k));
      expect({ component, notRead }).toEqual({ component, notRead: [] });
    }
    const readBySomeone = new Set(COMPONENTS.flatMap((c) => components[c].variables));
    expect(Object.keys(defaults['config'] as object).sort()).toEqual([...readBySomeone].sort());
    // The worker is the ingest program: it reads what ingest reads, from the same Secret keys.
    expect(components[WORKER]).toMatchObject({ values: 'ingestWorker', variables: components.ingest.variables, secrets: components.ingest.secrets });
  });

  it("defaults every setting to the app's own default, except where the chart deliberately differs", () => {
    // The chart's shutdown budgets fit its preStop sleep and grace periods (see values.yaml).
    const deliberate = new Set(['SHUTDOWN_TIMEOUT_MS']);
    const components = chartComponents();
    for (const [variable, value] of Object.entries(defaults['config'] as Record<string, unknown>)) {
      if (value === null || value === '' || deliberate.has(variable)) continue;
      for (const component of COMPONENTS.filter((c) => components[c].variables.includes(variable))) {
        expect({ variable, component, value: String(value) }).toEqual({ variable, component, value: String(zodDefault(APPS[component].shape[variable]!)) });
      }
    }
  });
});

describe.each(SCENARIOS)('rendered with $name', (scenario) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = objectsOf(scenario);
  });

  it('is valid against the Kubernetes schemas, names unique and within limits', () => {
    const results = validateWithKubernetesModels(objects);
    expect(results.filter((r) => r.status === 'invalid')).toEqual([]);
    // Every object has a schema, custom resources (ServiceMonitor, PrometheusRule, ScaledObject) included.
    expect(results.filter((r) => r.status === 'unchecked')).toEqual([]);
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of objects) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'datafactory',
        'app.kubernetes.io/instance': 'df',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': 'datafactory-0.1.0',
      });
    }
  });

  it('renders a Deployment for each service it enables and for nothing else', () => {
    expect(ofKind(objects, 'Deployment').map((d) => d.metadata.name).sort()).toEqual(scenario.deployed.map(deploymentName).sort());
  });

  it.each(scenario.deployed)('runs %s with probes, limits, the full security context and a writable /tmp', (component) => {
    const app = APPS[program(component)];
    const deployment = find<Workload>(objects, 'Deployment', deploymentName(component));
    const pod = deployment.spec.template.spec;
    const c = container(deployment);
    expect(c.args).toEqual([program(component)]);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: app.httpPort, protocol: 'TCP' },
      { name: 'metrics', containerPort: app.metricsPort, protocol: 'TCP' },
    ]);
    expect(c.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    for (const kind of ['requests', 'limits'] as const) {
      expect(c.resources?.[kind]?.cpu).toBeDefined();
      expect(c.resources?.[kind]?.memory).toBeDefined();
    }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(deployment.spec.selector?.matchLabels).toEqual({ 'app.kubernetes.io/name': 'datafactory', 'app.kubernetes.io/instance': 'df', 'app.kubernetes.io/component': component });
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector!.matchLabels);
    expect(deployment.spec.template.metadata.annotations?.['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(scenario.deployed)("gives %s an environment its own config loader accepts, with everything it requires and nothing it does not know", (component) => {
    const app = APPS[program(component)];
    const env = appEnv(objects, component);
    expect(() => app.load(env)).not.toThrow();
    const required = Object.entries(app.shape)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([key]) => key);
    expect(required.filter((key) => !env[key])).toEqual([]);
    const unknown = Object.keys(env).filter((key) => !(key in app.shape) && !OUTSIDE_SCHEMAS.has(key));
    expect(unknown).toEqual([]);
    // Helm reads numbers as float64: printed as they are they would become "1.048576e+07".
    expect(Object.entries(env).filter(([, value]) => /^[0-9.]+e[+-][0-9]+$/.test(value))).toEqual([]);
    expect(env).toMatchObject({ ENV_FILE: 'none', NODE_ENV: 'production', BIND_HOST: '0.0.0.0', [app.portVariable]: String(app.httpPort), METRICS_PORT: String(app.metricsPort) });
    expect(() => new URL(env['DATABASE_URL']!)).not.toThrow();
    expect(env['DATABASE_URL']).not.toContain('$(');
    expect(env['REDIS_URL']).not.toContain('$(');
  });

  it.each(scenario.deployed)('lets %s finish its graceful shutdown before Kubernetes kills it', (component) => {
    const deployment = find<Workload>(objects, 'Deployment', deploymentName(component));
    const env = appEnv(objects, component);
    const preStop = container(deployment).lifecycle?.preStop?.sleep?.seconds ?? 0;
    const shutdownMs = Number(env['SHUTDOWN_TIMEOUT_MS'] ?? zodDefault(APPS[program(component)].shape['SHUTDOWN_TIMEOUT_MS']!));
    expect(preStop).toBeGreaterThan(0);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(preStop * 1000 + shutdownMs);
  });

  it('points the gateway at the other services through their Services', () => {
    const env = appEnv(objects, 'gateway');
    for (const [variable, component] of [
      ['INGEST_URL', 'ingest'],
      ['SEARCH_URL', 'search'],
      ['JOB_ORCHESTRATOR_URL', 'job-orchestrator'],
      ['GOVERNANCE_URL', 'governance'],
    ] as const) {
      const service = find<K8sObject & { spec: { ports: Array<{ name: string; port: number; targetPort: string }>; selector: Record<string, string> } }>(
        objects,
        'Service',
        deploymentName(component),
      );
      expect(env[variable]).toBe(`http://${service.metadata.name}.rag.svc.cluster.local:${service.spec.ports[0]!.port}`);
      expect(service.spec.ports[0]!.targetPort).toBe('http');
      expect(service.spec.selector).toEqual(find<Workload>(objects, 'Deployment', deploymentName(component)).spec.selector!.matchLabels);
    }
  });

  it('sends what reaches a Service only to the pods of its own Deployment, and API calls never to the worker', () => {
    const deployments = ofKind<Workload>(objects, 'Deployment');
    const services = ofKind<K8sObject & { spec: { ports: Array<{ name: string }>; selector: Record<string, string> } }>(objects, 'Service');
    for (const service of services) {
      const targets = deployments.filter((d) => selects(service.spec.selector, d.spec.template.metadata.labels)).map((d) => d.metadata.name);
      const name = service.metadata.name;
      expect({ name, targets }).toEqual({ name, targets: [name.replace(/-metrics$/, '')] });
    }
    // The gateway's INGEST_URL names the ingest Service, which selects the API pods only.
    expect(new URL(appEnv(objects, 'gateway')['INGEST_URL']!).hostname.split('.')[0]).toBe(deploymentName('ingest'));
    if (scenario.deployed.includes(WORKER)) {
      const worker = find<Workload>(objects, 'Deployment', deploymentName(WORKER));
      const toWorker = services.filter((s) => selects(s.spec.selector, worker.spec.template.metadata.labels));
      expect(toWorker.map((s) => s.metadata.name)).toEqual([`${deploymentName(WORKER)}-metrics`]);
      expect(toWorker[0]!.spec.ports.map((p) => p.name)).toEqual(['metrics']);
    }
  });

  it('runs the BullMQ worker in the ingest pods, or only in the worker pods when they are separate', () => {
    const runsWorker = (component: Deployed) => loadIngestConfig(appEnv(objects, component)).WORKER_ENABLED;
    const separate = scenario.deployed.includes(WORKER);
    expect(runsWorker('ingest')).toBe(!separate);
    if (separate) expect(runsWorker(WORKER)).toBe(true);
  });

  it('runs migrations as a pre-install/pre-upgrade hook that only depends on what exists before it', () => {
    const job = find<Workload>(objects, 'Job', 'df-datafactory-migrations');
    const annotations = job.metadata.annotations!;
    expect(annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(annotations['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
    expect(job.spec.backoffLimit).toBeGreaterThanOrEqual(0);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    const events = (o: K8sObject) => (o.metadata.annotations?.['helm.sh/hook'] ?? '').split(',');
    const weight = (o: K8sObject) => Number(o.metadata.annotations?.['helm.sh/hook-weight'] ?? 0);
    // On a first install, helm creates the hooks (by weight) before any regular resource of the release.
    for (const dep of podDependencies(job.spec.template.spec)) {
      const same = (o: K8sObject) => o.kind === dep.kind && o.metadata.name === dep.name;
      const where = `${dep.kind}/${dep.name}`;
      expect({ where, regular: objects.some((o) => same(o) && !isHook(o)) }).toEqual({ where, regular: false });
      const hook = objects.find((o) => same(o) && isHook(o));
      if (hook) {
        expect(events(hook)).toEqual(expect.arrayContaining(events(job)));
        expect(weight(hook)).toBeLessThan(weight(job));
        expect(hook.metadata.annotations?.['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
      }
    }
    const c = container(job);
    expect(c.args).toEqual(['migrate']);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    const env = containerEnv(objects, c, EXTERNAL);
    expect(env['ENV_FILE']).toBe('none');
    expect(() => loadConfig('db:migrate', databaseConfig, env)).not.toThrow();
    // Services and the migration reach the same database.
    expect(env['DATABASE_URL']).toBe(appEnv(objects, 'ingest')['DATABASE_URL']);
  });

  it('has a PodDisruptionBudget per service that never blocks a drain on its own', () => {
    for (const component of scenario.deployed) {
      const pdb = find<K8sObject & { spec: { maxUnavailable?: number | string; unhealthyPodEvictionPolicy?: string; selector: { matchLabels: Record<string, string> } } }>(
        objects,
        'PodDisruptionBudget',
        deploymentName(component),
      );
      expect(pdb.spec.maxUnavailable).toBeDefined();
      expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
      expect(pdb.spec.selector.matchLabels).toEqual(find<Workload>(objects, 'Deployment', deploymentName(component)).spec.selector!.matchLabels);
    }
  });
});

describe('optional features', () => {
  const everything = () => objectsOf(SCENARIOS[2]!);
  const minimal = () => objectsOf(SCENARIOS[0]!);

  it('exposes the gateway through an Ingress with TLS only when asked', () => {
    expect(ofKind(minimal(), 'Ingress')).toEqual([]);
    const ingress = find<K8sObject & { spec: Record<string, unknown> }>(everything(), 'Ingress', 'df-datafactory-gateway');
    expect(ingress.spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ secretName: 'df-tls', hosts: ['datafactory.example.com'] }],
      rules: [{ host: 'datafactory.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'df-datafactory-gateway', port: { name: 'http' } } } }] } }],
    });
  });

  it('leaves the replica count to the HPA (autoscaling/v2) or KEDA when they scale a Deployment', () => {
    const objects = everything();
    for (const component of ['gateway', 'ingest', 'search'] as const) {
      const hpa = find<K8sObject & { spec: { scaleTargetRef: { name: string }; metrics: unknown[] } }>(objects, 'HorizontalPodAutoscaler', deploymentName(component));
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName(component) });
      expect(find<Workload>(objects, 'Deployment', deploymentName(component)).spec.replicas).toBeUndefined();
    }
    expect(find<K8sObject & { spec: { metrics: unknown[] } }>(objects, 'HorizontalPodAutoscaler', deploymentName('search')).spec.metrics).toHaveLength(2);
    expect(find<Workload>(objects, 'Deployment', deploymentName(WORKER)).spec.replicas).toBeUndefined();
    expect(find<Workload>(objects, 'Deployment', deploymentName('governance')).spec.replicas).toBe(1);
    expect(ofKind(minimal(), 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it("scales the queue workers with KEDA on the BullMQ keys where this app's jobs wait", () => {
    const objects = everything();
    expect(ofKind(objects, 'ScaledObject').map((o) => o.metadata.name)).toEqual([deploymentName(WORKER)]);
    const scaled = find<K8sObject & { spec: { scaleTargetRef: { name: string }; minReplicaCount: number; triggers: Array<{ type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }> } }>(
      objects,
      'ScaledObject',
      deploymentName(WORKER),
    );
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    // The worker Deployment, not the API: queue depth says nothing about HTTP load (ingest has its HPA here).
    expect(scaled.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName(WORKER) });
    expect(loadIngestConfig(appEnv(objects, WORKER)).WORKER_ENABLED).toBe(true);
    // Only a running worker moves due retries and handed-back jobs out of the `delayed` set, which KEDA does not watch.
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    // BullMQ puts a job with a priority into the `prioritized` ZSET, one without into the `wait` LIST; every
    // DataFactory job has one.
    const keys = new QueueKeys('df').getKeys(QueueName.Ingest);
    expect(scaled.spec.triggers.map((t) => t.metadata['listName'])).toEqual([keys['prioritized'], keys['wait']]);
    const message: JobMessage = { jobId: 'j', generation: 1, tenantId: 't', type: 'batch_upsert' } as JobMessage;
    for (const priority of Object.values(JobPriority)) expect(jobOptions(message, priority, 5).priority).toBeGreaterThan(0);
    const workerEnv = appEnv(objects, WORKER);
    expect(workerEnv['QUEUE_PREFIX']).toBe('df');
    const redisUrl = new URL(workerEnv['REDIS_URL']!);
    for (const trigger of scaled.spec.triggers) {
      expect(trigger.type).toBe('redis');
      expect(trigger.metadata).toMatchObject({ address: `${redisUrl.hostname}:${redisUrl.port}`, enableTLS: 'true', databaseIndex: '0', username: 'datafactory' });
      expect(Number(trigger.metadata['listLength'])).toBeGreaterThan(0);
      expect(trigger.authenticationRef?.name).toBe('df-datafactory-ingest-redis');
    }
    const auth = find<K8sObject & { spec: { secretTargetRef: Array<{ parameter: string; name: string; key: string }> } }>(objects, 'TriggerAuthentication', 'df-datafactory-ingest-redis');
    const [ref] = auth.spec.secretTargetRef;
    expect(ref?.parameter).toBe('password');
    const secret = find<Secret>(objects, 'Secret', ref!.name);
    expect(Buffer.from(secret.data![ref!.key]!, 'base64').toString()).toBe(decodeURIComponent(redisUrl.password));
  });

  it('scales ingest itself with KEDA when its pods run the worker (no ingestWorker)', () => {
    const objects = render({ values: [example('minimal'), valuesFile('keda-prefix', { keda: { enabled: true }, config: { QUEUE_PREFIX: 'prod-df' } })] });
    expect(ofKind(objects, 'Deployment').some((d) => d.metadata.name === deploymentName(WORKER))).toBe(false);
    const scaled = find<K8sObject & { spec: { scaleTargetRef: { name: string }; triggers: Array<{ metadata: Record<string, string> }> } }>(objects, 'ScaledObject', deploymentName('ingest'));
    expect(scaled.spec.scaleTargetRef.name).toBe(deploymentName('ingest'));
    expect(loadIngestConfig(appEnv(objects, 'ingest')).WORKER_ENABLED).toBe(true);
    expect(find<Workload>(objects, 'Deployment', deploymentName('ingest')).spec.replicas).toBeUndefined();
    expect(scaled.spec.triggers[0]?.metadata['listName']).toBe(new QueueKeys('prod-df').getKeys(QueueName.Ingest)['prioritized']);
  });

  it("gives the worker ingest's settings and secrets, with its own overrides on top", () => {
    const objects = everything();
    const ingest = appEnv(objects, 'ingest');
    const worker = appEnv(objects, WORKER);
    const differing = [...new Set([...Object.keys(ingest), ...Object.keys(worker)])].filter((key) => ingest[key] !== worker[key]).sort();
    expect(differing).toEqual(['WORKER_CONCURRENCY', 'WORKER_ENABLED']);
    expect(worker['WORKER_CONCURRENCY']).toBe('8');
    // ingest.config applies to both (its 90 s shutdown first of all); the worker's own config wins over it.
    const layered = render({
      values: [
        example('minimal'),
        valuesFile('worker-layers', { ingest: { config: { WORKER_CONCURRENCY: 3, RETRY_BASE_MS: 2000 } }, ingestWorker: { enabled: true, config: { RETRY_BASE_MS: 500 } } }),
      ],
    });
    expect(appEnv(layered, WORKER)).toMatchObject({ SHUTDOWN_TIMEOUT_MS: '90000', WORKER_CONCURRENCY: '3', RETRY_BASE_MS: '500', WORKER_ENABLED: 'true' });
    expect(appEnv(layered, 'ingest')).toMatchObject({ RETRY_BASE_MS: '2000', WORKER_ENABLED: 'false' });
  });

  it('allows with NetworkPolicies only the traffic the services need', () => {
    const objects = everything();
    type Rule = { ports?: Array<{ port: number | string; protocol?: string }>; from?: unknown[]; to?: unknown[] };
    type Policy = K8sObject & { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: Rule[]; egress: Rule[] } };
    const policy = (name: string) => find<Policy>(objects, 'NetworkPolicy', name);
    const gatewaySelector = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'datafactory', 'app.kubernetes.io/instance': 'df', 'app.kubernetes.io/component': 'gateway' } } };
    const egressPorts = (p: Policy) => p.spec.egress.flatMap((r) => (r.ports ?? []).map((port) => port.port));
    for (const component of ALL_DEPLOYED) {
      const p = policy(deploymentName(component));
      expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(p.spec.podSelector.matchLabels).toEqual(find<Workload>(objects, 'Deployment', deploymentName(component)).spec.selector!.matchLabels);
      const api = p.spec.ingress.filter((r) => r.ports?.[0]?.port === 'http');
      // Clients reach the gateway (from anywhere unless networkPolicy.gatewayFrom narrows it); only the gateway
      // reaches the others (apps/gateway/src/upstream.clients.ts is the only InternalHttpClient user); no one calls
      // the worker, whose HTTP port serves only the kubelet's probes (not subject to NetworkPolicy).
      expect({ component, from: api.map((r) => r.from) }).toEqual({ component, from: component === WORKER ? [] : [component === 'gateway' ? undefined : [gatewaySelector]] });
      const metrics = p.spec.ingress.find((r) => r.ports?.[0]?.port === 'metrics')!;
      expect(metrics.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
      expect(p.spec.ingress).toHaveLength(component === WORKER ? 1 : 2);
      expect(egressPorts(p)).toEqual(expect.arrayContaining([53, 5432, 6379, 4318]));
      expect({ component, embedding: egressPorts(p).includes(8443) }).toEqual({ component, embedding: program(component) === 'ingest' || component === 'search' });
    }
    const gateway = policy('df-datafactory-gateway');
    expect(egressPorts(gateway)).toEqual(expect.arrayContaining([8081, 8082, 8083, 8084]));
    const workerLabels = find<Workload>(objects, 'Deployment', deploymentName(WORKER)).spec.template.metadata.labels;
    const gatewayPeers = gateway.spec.egress.flatMap((r) => (r.to ?? []) as Array<{ podSelector?: { matchLabels: Record<string, string> } }>);
    expect(gatewayPeers.filter((peer) => peer.podSelector && selects(peer.podSelector.matchLabels, workerLabels))).toEqual([]);
    expect(egressPorts(policy('df-datafactory-ingest'))).not.toContain(8082);
    // With no metrics peers the worker accepts nothing at all: an empty rule list (deny all), not a null.
    const noScrapes = render({ values: [example('minimal'), valuesFile('np-no-metrics', { ingestWorker: { enabled: true }, networkPolicy: { enabled: true, metricsFrom: [] } })] });
    expect(find<Policy>(noScrapes, 'NetworkPolicy', deploymentName(WORKER)).spec.ingress).toEqual([]);
    const migrations = policy('df-datafactory-migrations');
    expect(migrations.spec.ingress).toBeUndefined();
    expect(egressPorts(migrations).sort()).toEqual([53, 53, 5432]);
    expect(ofKind(minimal(), 'NetworkPolicy')).toEqual([]);
  });

  it('scrapes every metrics port with the job labels the alert rules select on', () => {
    const objects = everything();
    const monitor = find<K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<Record<string, unknown>> } }>(objects, 'ServiceMonitor', 'df-datafactory');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    const [endpoint] = monitor.spec.endpoints;
    expect(endpoint).toMatchObject({ port: 'metrics', path: '/metrics', honorLabels: true });
    const relabelings = endpoint!['relabelings'] as Array<{ sourceLabels: string[]; regex: string; targetLabel: string; replacement: string; action: string }>;
    /** The job label Prometheus gives a target of a Service with this component label (anchored regexes, as in Prometheus). */
    const jobOf = (component: string): string | undefined => {
      let job: string | undefined;
      for (const r of relabelings) {
        expect(r).toMatchObject({ sourceLabels: ['__meta_kubernetes_service_label_app_kubernetes_io_component'], targetLabel: 'job', action: 'replace' });
        const match = new RegExp(`^(?:${r.regex})$`).exec(component);
        if (match) job = r.replacement.replace(/\$(\d)/g, (_, group: string) => match[Number(group)] ?? '');
      }
      return job;
    };
    const ruleJobs = new Set([...readFileSync(join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8').matchAll(/job_name: (datafactory-[a-z-]+)/g)].map((m) => m[1]));
    const services = ofKind<K8sObject & { spec: { ports: Array<{ name: string; port: number }>; selector: Record<string, string> } }>(objects, 'Service');
    const metricsServices = services.filter((s) => s.spec.ports.some((p) => p.name === 'metrics'));
    expect(metricsServices).toHaveLength(COMPONENTS.length + 1);
    for (const service of metricsServices) {
      expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
      const component = service.metadata.labels!['app.kubernetes.io/component'] as Deployed;
      expect({ component, job: jobOf(component) }).toEqual({ component, job: `datafactory-${program(component)}` });
      expect(ruleJobs).toContain(jobOf(component));
      expect(service.spec.ports).toEqual([{ name: 'metrics', port: APPS[program(component)].metricsPort, targetPort: 'metrics', protocol: 'TCP' }]);
    }
    // A worker that stops answering scrapes is what DataFactoryIngestWorkerDown is about.
    const workerDown = alerts.groups.flatMap((g) => g.rules).find((r) => r.alert === 'DataFactoryIngestWorkerDown')!;
    expect(workerDown.expr).toContain(`job="${jobOf(WORKER)}"`);
    // The API Services never carry the metrics port (a LoadBalancer gateway must not expose /metrics).
    expect(services.filter((s) => !metricsServices.includes(s)).every((s) => s.spec.ports.every((p) => p.name === 'http'))).toBe(true);
  });

  it("carries the repository's alert rules unchanged in the PrometheusRule", () => {
    expect(readChartFile('files', 'alerts.yml')).toBe(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8'));
    const rule = find<K8sObject & { spec: { groups: unknown } }>(everything(), 'PrometheusRule', 'df-datafactory');
    expect(rule.spec.groups).toEqual(alerts.groups);
    const production = find<K8sObject & { spec: { groups: typeof alerts.groups } }>(objectsOf(SCENARIOS[1]!), 'PrometheusRule', 'df-datafactory');
    const urls = production.spec.groups.flatMap((g) => g.rules.map((r) => r.annotations['runbook_url']));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^https:\/\/git\.example\.com\/datafactory\/datafactory\/-\/blob\/main\/runbooks\/[a-z0-9-]+\.md$/);
  });

  it('assumes in the memory alert the memory limit the chart sets', () => {
    expect(JSON.stringify(alerts)).toContain('0.8 * 1073741824');
    for (const component of ALL_DEPLOYED) expect(container(find<Workload>(everything(), 'Deployment', deploymentName(component))).resources?.limits?.memory).toBe('1Gi');
  });

  it('composes the store URLs from existing Secrets in the pod, or takes them whole', () => {
    const production = objectsOf(SCENARIOS[1]!);
    expect(ofKind(production, 'Secret')).toEqual([]);
    const env = appEnv(production, 'search');
    expect(env['DATABASE_URL']).toBe(
      'postgres://datafactory:pg-password-0123@postgres.prod.example.internal:5432/datafactory?sslmode=verify-full',
    );
    expect(env['REDIS_URL']).toBe('rediss://:redis-password-0123@redis.prod.example.internal:6379/0');
    expect(env['NODE_EXTRA_CA_CERTS']).toBe('/etc/datafactory/ca/ca.crt');
    expect(env['EMBEDDING_API_KEY']).toBe('sk-test');
    const whole = objectsOf(SCENARIOS[3]!);
    expect(ofKind(whole, 'Secret')).toEqual([]);
    expect(appEnv(whole, 'governance')).toMatchObject({ DATABASE_URL: EXTERNAL['pg']!['url'], REDIS_URL: EXTERNAL['rd']!['url'] });
  });

  it('URL-encodes a password the chart stores itself', () => {
    const objects = render({ values: [example('minimal'), valuesFile('odd-password', { postgres: { password: 'p@ss:w/rd ?#%' }, redis: { password: 'r@dis/+' } })] });
    const env = appEnv(objects, 'gateway');
    expect(decodeURIComponent(new URL(env['DATABASE_URL']!).password)).toBe('p@ss:w/rd ?#%');
    expect(decodeURIComponent(new URL(env['REDIS_URL']!).password)).toBe('r@dis/+');
    expect(() => loadGatewayConfig(env)).not.toThrow();
  });

  it('passes tracing settings to the OpenTelemetry SDK with the pod in the resource attributes', () => {
    const env = appEnv(everything(), 'search');
    expect(env).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
      OTEL_SERVICE_NAME: 'datafactory-search',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    // The SDK's environment detector reads these (libs/telemetry/src/tracing.ts names deployment.environment.name).
    expect(env['OTEL_RESOURCE_ATTRIBUTES']).toBe('k8s.namespace.name=rag,k8s.pod.name=pod-0,deployment.environment.name=staging,service.namespace=rag');
    expect(tracingEnabled(env)).toBe(true);
    expect(tracingEnabled(appEnv(minimal(), 'search'))).toBe(false);
    expect(appEnv(minimal(), 'search')['OTEL_EXPORTER_OTLP_ENDPOINT']).toBeUndefined();
  });

  it('restarts only the services whose settings changed', () => {
    const checksums = (objects: K8sObject[]) =>
      Object.fromEntries(
        ofKind<Workload>(objects, 'Deployment').map((d) => [d.metadata.labels!['app.kubernetes.io/component']!, d.spec.template.metadata.annotations!['checksum/config']]),
      );
    const changed = (before: Record<string, unknown>, after: Record<string, unknown>) => Object.keys(before).filter((c) => before[c] !== after[c]);
    const before = checksums(minimal());
    const after = checksums(render({ values: [example('minimal'), valuesFile('ef-search', { config: { SEARCH_EF_SEARCH: 200 } })] }));
    expect(changed(before, after)).toEqual(['search']);
    // The worker has a ConfigMap of its own: its settings roll only its pods; ingest's roll both.
    const worker = (name: string, values: Record<string, unknown>) =>
      checksums(render({ values: [example('minimal'), valuesFile(name, merge({ ingestWorker: { enabled: true } }, values))] }));
    const withWorker = worker('worker', {});
    expect(Object.keys(withWorker)).toContain(WORKER);
    expect(changed(withWorker, worker('worker-concurrency', { ingestWorker: { config: { WORKER_CONCURRENCY: 6 } } }))).toEqual([WORKER]);
    expect(changed(withWorker, worker('ingest-batch-size', { ingest: { config: { EMBEDDING_BATCH_SIZE: 32 } } }))).toEqual(['ingest', WORKER]);
    const secretChange = render({ values: [example('minimal'), valuesFile('new-token', { secrets: { internalToken: 'another-internal-token-0123456789' } })] });
    expect(find<Workload>(secretChange, 'Deployment', deploymentName('gateway')).spec.template.metadata.annotations!['checksum/secret']).not.toBe(
      find<Workload>(minimal(), 'Deployment', deploymentName('gateway')).spec.template.metadata.annotations!['checksum/secret'],
    );
  });

  it('leaves out disabled services and keeps names unique and short for a long release name', () => {
    const objects = render({ values: [example('minimal'), valuesFile('no-governance', { governance: { enabled: false }, ingestWorker: { enabled: true } })], release: 'a'.repeat(53) });
    expect(objects.some((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'governance')).toBe(false);
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of objects) expect(o.metadata.name.length).toBeLessThanOrEqual(63);
    // The release part is shortened, never the component part.
    for (const component of [...COMPONENTS.filter((c) => c !== 'governance'), WORKER]) {
      expect(ofKind(objects, 'Deployment').filter((d) => d.metadata.name.endsWith(`-${component}`))).toHaveLength(1);
    }
  });
});

describe('values the chart refuses', () => {
  const minimalPlus = (name: string, values: unknown) => ({ values: [example('minimal'), valuesFile(name, values)] });

  it.each([
    ['KEDA and an HPA on ingest at once', { keda: { enabled: true }, ingest: { autoscaling: { enabled: true } } }, 'keda.enabled and ingest.autoscaling.enabled both scale ingest: turn one off'],
    [
      'KEDA and an HPA on the worker at once',
      { keda: { enabled: true }, ingestWorker: { enabled: true, autoscaling: { enabled: true } } },
      'keda.enabled and ingestWorker.autoscaling.enabled both scale ingest-worker: turn one off',
    ],
    ['KEDA on a disabled ingest without a worker', { keda: { enabled: true }, ingest: { enabled: false } }, 'keda.enabled scales ingest, which is disabled'],
    ['a grace period shorter than preStop + SHUTDOWN_TIMEOUT_MS', { ingest: { terminationGracePeriodSeconds: 60 } }, 'ingest.terminationGracePeriodSeconds (60 s) must be longer'],
    [
      "a worker grace period shorter than preStop + ingest's SHUTDOWN_TIMEOUT_MS",
      { ingestWorker: { enabled: true, terminationGracePeriodSeconds: 60 } },
      'ingestWorker.terminationGracePeriodSeconds (60 s) must be longer',
    ],
    ['a separate worker with WORKER_ENABLED=false', { ingestWorker: { enabled: true }, config: { WORKER_ENABLED: false } }, 'config.WORKER_ENABLED is false, but ingestWorker.enabled'],
    ['a separate worker with ingest WORKER_ENABLED=false', { ingestWorker: { enabled: true }, ingest: { config: { WORKER_ENABLED: false } } }, 'ingest.config.WORKER_ENABLED is false'],
    ['openai embeddings without model and dimensions', { config: { EMBEDDING_PROVIDER: 'openai', EMBEDDING_BASE_URL: 'https://x.example/v1' } }, 'needs config.EMBEDDING_BASE_URL'],
    ['a chunk overlap of half the chunk size', { config: { CHUNK_MAX_TOKENS: 100, CHUNK_OVERLAP_TOKENS: 50 } }, 'CHUNK_OVERLAP_TOKENS must be less than half'],
    ['an ingress without the gateway', { ingress: { enabled: true }, gateway: { enabled: false } }, 'routes to the gateway, which is disabled'],
    ['a Redis user without a password', { redis: { username: 'df' } }, 'redis.username needs a password'],
  ])('refuses %s', (_name, values, message) => {
    expect(renderError(minimalPlus('refused', values))).toContain(message);
  });

  it('refuses a database password left out, unless an existing Secret holds it', () => {
    expect(renderError({ values: [example('minimal'), valuesFile('no-pg-password', { postgres: { password: '' } })] })).toContain('postgres.password is required');
    expect(renderRaw({ values: [example('minimal'), valuesFile('pg-existing', { postgres: { password: '', existingSecret: 'datafactory-postgres' } })] }).ok).toBe(true);
  });

  it('catches, in the Kubernetes schema check, what a broken template would produce', () => {
    const objects = render({ values: [example('minimal')] });
    const broken = structuredClone(find<Workload>(objects, 'Deployment', deploymentName('gateway')));
    (broken.spec.template.spec.containers[0]!.ports![0] as { containerPort: unknown }).containerPort = 'eighty';
    expect(validateWithKubernetesModels([broken])[0]?.status).toBe('invalid');
  });

  it('checks the chart-managed Secret values against the apps (at least 24 characters)', () => {
    const secret = find<Secret>(render({ values: [example('minimal')] }), 'Secret', 'df-datafactory');
    for (const key of ['ADMIN_TOKEN', 'API_KEY_PEPPER', 'INTERNAL_TOKEN', 'GOVERNANCE_SIGNING_KEY']) {
      expect(Buffer.from(secret.data![key]!, 'base64').toString().length).toBeGreaterThanOrEqual(24);
    }
    expect(find<ConfigMap>(render({ values: [example('minimal')] }), 'ConfigMap', 'df-datafactory-gateway').data?.['ADMIN_TOKEN']).toBeUndefined();
  });
});
