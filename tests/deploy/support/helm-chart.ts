/**
 * Renders helm/datafactory with tools/helm-render (Helm's template engine, see tools/helm-render/main.go) and
 * reads the result the way a cluster would: environment variables resolved from ConfigMaps, Secrets and
 * `$(VAR)` references, so that the apps' own config loaders can judge them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');
export const CHART = join(ROOT, 'helm', 'datafactory');
const RENDERER = join(ROOT, 'tmp', 'helm-render', 'helm-render');
const RENDERER_SOURCES = ['tools/helm-render/main.go', 'tools/helm-render/build.sh'];

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  [field: string]: unknown;
}

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef; fieldRef?: { fieldPath: string } };
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface ResourceList {
  cpu?: string | number;
  memory?: string | number;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: { requests?: ResourceList; limits?: ResourceList };
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number; fsGroup?: number; seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: Array<{ name: string; emptyDir?: { sizeLimit?: string }; secret?: { secretName: string }; configMap?: { name: string } }>;
  imagePullSecrets?: Array<{ name: string }>;
  topologySpreadConstraints?: Array<{ topologyKey: string; labelSelector?: { matchLabels?: Record<string, string> } }>;
}

export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    template: { metadata: Metadata; spec: PodSpec };
  };
}

export interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}

export interface Secret extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Secrets that exist in the cluster before the release (`existingSecret` values): name → key → value. */
export type ExternalSecrets = Record<string, Record<string, string>>;

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of RENDERER_SOURCES) hash.update(readFileSync(join(ROOT, file)));
  return hash.digest('hex');
}

/** Builds tools/helm-render once per source change; the binary is cached under tmp/. */
export function ensureRenderer(): string {
  const stamp = `${RENDERER}.sha256`;
  const hash = sourcesHash();
  if (existsSync(RENDERER) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return RENDERER;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  const sprig = existsSync('/usr/share/gocode/src/github.com/Masterminds/sprig');
  if (go.status !== 0 || !sprig) {
    throw new Error(
      'The Helm chart test renders the chart with tools/helm-render, built from Go and Debian\'s Go template libraries, ' +
        `which are not installed (${go.status !== 0 ? 'no go' : 'no sprig sources'}). Install them with: bash scripts/lib/ensure-go-render.sh`,
    );
  }
  mkdirSync(dirname(RENDERER), { recursive: true });
  execFileSync('bash', [join(ROOT, 'tools/helm-render/build.sh'), RENDERER], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(stamp, hash);
  return RENDERER;
}

export interface RenderOptions {
  values?: string[];
  set?: string[];
  release?: string;
  namespace?: string;
  kubeVersion?: string;
  isUpgrade?: boolean;
  notes?: boolean;
}

export interface RenderResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export function renderRaw(options: RenderOptions = {}): RenderResult {
  const args = [
    ...(options.values ?? []).flatMap((file) => ['-f', file]),
    ...(options.set ?? []).flatMap((entry) => ['--set', entry]),
    '--release',
    options.release ?? 'df',
    '--namespace',
    options.namespace ?? 'rag',
    ...(options.kubeVersion ? ['--kube-version', options.kubeVersion] : []),
    ...(options.isUpgrade ? ['--is-upgrade'] : []),
    ...(options.notes ? ['--notes'] : []),
    CHART,
  ];
  const result = spawnSync(ensureRenderer(), args, { encoding: 'utf8' });
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

/** The rendered objects; fails with the renderer's message when helm would refuse the values. */
export function render(options: RenderOptions = {}): K8sObject[] {
  const result = renderRaw(options);
  if (!result.ok) throw new Error(`helm-render failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

/** The message of a refused render (the test fails if the render succeeds). */
export function renderError(options: RenderOptions): string {
  const result = renderRaw(options);
  if (result.ok) throw new Error('expected the chart to refuse these values, but it rendered');
  return result.stderr;
}

const scratch = mkdtempSync(join(tmpdir(), 'df-helm-'));

/** A values file for the renderer. */
export function valuesFile(name: string, values: unknown): string {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, stringify(values));
  return file;
}

export function find<T extends K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as T;
}

export function ofKind<T extends K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

/** Whether a label selector (`matchLabels`, or a Service's `selector`) selects an object with these labels. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

export function isHook(object: K8sObject): boolean {
  return object.metadata.annotations?.['helm.sh/hook'] !== undefined;
}

function secretValue(objects: K8sObject[], external: ExternalSecrets, ref: KeyRef): string | undefined {
  const rendered = objects.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name) as Secret | undefined;
  if (rendered) {
    const encoded = rendered.data?.[ref.key];
    return encoded !== undefined ? Buffer.from(encoded, 'base64').toString('utf8') : rendered.stringData?.[ref.key];
  }
  return external[ref.name]?.[ref.key];
}

/** Kubernetes' `$(VAR)` expansion: only variables defined before; `$$` escapes; unknown references stay. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? (env[name] as string) : match;
  });
}

/** The environment a container starts with, as the kubelet would build it. */
export function containerEnv(objects: K8sObject[], container: Container, external: ExternalSecrets = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMapRef?.name) as ConfigMap | undefined;
      if (!cm && !source.configMapRef.optional) throw new Error(`${container.name}: envFrom ConfigMap ${source.configMapRef.name} is not rendered`);
      Object.assign(env, cm?.data ?? {});
    }
    if (source.secretRef) throw new Error(`${container.name}: envFrom secretRef is not expected in this chart`);
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) {
      env[entry.name] = expand(entry.value, env);
      continue;
    }
    const from = entry.valueFrom;
    if (from?.secretKeyRef) {
      const value = secretValue(objects, external, from.secretKeyRef);
      if (value === undefined) {
        if (from.secretKeyRef.optional) continue;
        throw new Error(`${container.name}: ${entry.name} needs key ${from.secretKeyRef.key} of Secret ${from.secretKeyRef.name}, which is neither rendered nor given`);
      }
      env[entry.name] = value;
    } else if (from?.configMapKeyRef) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapKeyRef?.name) as ConfigMap | undefined;
      const value = cm?.data?.[from.configMapKeyRef.key];
      if (value === undefined) throw new Error(`${container.name}: ${entry.name} refers to a missing ConfigMap key`);
      env[entry.name] = value;
    } else if (from?.fieldRef?.fieldPath === 'metadata.name') {
      env[entry.name] = 'pod-0';
    } else {
      throw new Error(`${container.name}: ${entry.name} has a value source this test does not resolve: ${JSON.stringify(entry)}`);
    }
  }
  return env;
}

export interface ValidationResult {
  kind: string;
  name: string;
  status: 'valid' | 'invalid' | 'unchecked';
  errors?: string;
}

/** kubernetes-models validation, in a child process (its packages are ES modules only; see the script). */
export function validateWithKubernetesModels(objects: K8sObject[]): ValidationResult[] {
  const out = execFileSync(process.execPath, [join(ROOT, 'tools/helm-render/validate-k8s.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  return JSON.parse(out) as ValidationResult[];
}

/** Every Secret, ConfigMap and ServiceAccount a pod needs to exist before it can start. */
export function podDependencies(spec: PodSpec): Array<{ kind: string; name: string }> {
  const deps: Array<{ kind: string; name: string }> = [];
  deps.push({ kind: 'ServiceAccount', name: spec.serviceAccountName ?? 'default' });
  for (const volume of spec.volumes ?? []) {
    if (volume.secret) deps.push({ kind: 'Secret', name: volume.secret.secretName });
    if (volume.configMap) deps.push({ kind: 'ConfigMap', name: volume.configMap.name });
  }
  for (const container of spec.containers) {
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) deps.push({ kind: 'ConfigMap', name: source.configMapRef.name });
      if (source.secretRef) deps.push({ kind: 'Secret', name: source.secretRef.name });
    }
    for (const entry of container.env ?? []) {
      if (entry.valueFrom?.secretKeyRef) deps.push({ kind: 'Secret', name: entry.valueFrom.secretKeyRef.name });
      if (entry.valueFrom?.configMapKeyRef) deps.push({ kind: 'ConfigMap', name: entry.valueFrom.configMapKeyRef.name });
    }
  }
  return deps;
}

export function readChartFile(...parts: string[]): string {
  return readFileSync(join(CHART, ...parts), 'utf8');
}
