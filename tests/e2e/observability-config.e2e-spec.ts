import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The Prometheus alert rules (deploy/prometheus/alerts.yml) and the Grafana dashboards (deploy/grafana/dashboards)
 * against the running stack: promtool accepts the rules, every rule links an existing runbook, and every metric
 * used in a rule or a dashboard query is exported by at least one of the five services.
 */
const ROOT = resolve(__dirname, '..', '..');
const ALERTS = join(ROOT, 'deploy', 'prometheus', 'alerts.yml');
const DASHBOARDS = join(ROOT, 'deploy', 'grafana', 'dashboards');
const SERVICES = ['gateway', 'ingest', 'search', 'job-orchestrator', 'governance'];
/** Series Prometheus itself adds to every scrape. */
const PROMETHEUS_BUILTINS = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

interface Rule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const unquote = (value: string): string =>
  value
    .trim()
    .replace(/^'(.*)'$/s, '$1')
    .replace(/^"(.*)"$/s, '$1');
const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * A small reader for the shape alerts.yml has (groups → rules → alert/expr/for/labels/annotations). Block scalars
 * (`|`, `>-`) are joined. The rule count is cross-checked with promtool's, so a rule this reader misses fails.
 */
function parseRules(text: string): Rule[] {
  const lines = text.split('\n');
  const rules: Rule[] = [];
  let current: Rule | undefined;
  let section: 'labels' | 'annotations' | undefined;
  let sectionIndent = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const alert = /^\s*- alert:\s*(.+)$/.exec(line);
    if (alert) {
      current = { alert: unquote(alert[1] as string), expr: '', labels: {}, annotations: {} };
      rules.push(current);
      section = undefined;
      continue;
    }
    if (/^\s*- name:/.test(line)) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    const kv = /^(\s*)([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (!kv) continue;
    const indent = (kv[1] as string).length;
    const key = kv[2] as string;
    let value = kv[3] as string;
    if (section && indent <= sectionIndent) section = undefined;
    if (/^[|>][-+]?$/.test(value)) {
      const block: string[] = [];
      while (i + 1 < lines.length && (!(lines[i + 1] as string).trim() || indentOf(lines[i + 1] as string) > indent))
        block.push((lines[++i] as string).trim());
      value = block.join('\n').trim();
    }
    if (!section && (key === 'labels' || key === 'annotations') && value === '') {
      section = key;
      sectionIndent = indent;
    } else if (section) {
      current[section][key] = unquote(value);
    } else if (key === 'expr') {
      current.expr = value;
    }
  }
  return rules;
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression selects (not functions, keywords, label names or label values). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ') // strings (label values, histogram_quantile args are numbers)
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery durations
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?/g)) {
    const name = match[0].replace(/\s*\($/, '');
    if (match[1] !== undefined || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

interface DashboardPanel {
  title?: string;
  type?: string;
  targets?: { expr?: string }[];
  panels?: DashboardPanel[];
}
interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: DashboardPanel[];
}

const dashboardFiles = (): string[] =>
  existsSync(DASHBOARDS)
    ? readdirSync(DASHBOARDS)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
const readDashboard = (file: string): Dashboard => JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Dashboard;
const allPanels = (panels: DashboardPanel[] = []): DashboardPanel[] => panels.flatMap((p) => [p, ...allPanels(p.panels)]);

/** Metric family names from an exposition: a histogram or summary adds its _bucket/_sum/_count series. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      names.add(name);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
      continue;
    }
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1] as string);
  }
  return names;
}

describe('observability config (Prometheus rules, Grafana dashboards)', () => {
  const rulesText = readFileSync(ALERTS, 'utf8');
  const rules = parseRules(rulesText);
  let exported = new Set<string>();

  beforeAll(async () => {
    const ports = JSON.parse(process.env['E2E_METRICS_PORTS'] as string) as Record<string, number>;
    for (const service of SERVICES) {
      expect(ports[service]).toEqual(expect.any(Number));
      const res = await fetch(`http://127.0.0.1:${ports[service]}/metrics`);
      expect(res.status).toBe(200);
      for (const name of exportedNames(await res.text())) exported.add(name);
    }
    exported = new Set([...exported, ...PROMETHEUS_BUILTINS]);
  });

  it('promtool accepts the alert rules, and every rule was read by this test', () => {
    let out: string;
    try {
      out = execFileSync('promtool', ['check', 'rules', ALERTS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`promtool check rules failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    const found = /SUCCESS: (\d+) rules found/.exec(out);
    expect(found).not.toBeNull();
    expect(rules.length).toBeGreaterThan(0);
    expect(rules).toHaveLength(Number(found?.[1]));
  });

  it('the metric-name extractor sees metrics and ignores functions, keywords and labels', () => {
    expect(
      metricNames('sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / on (service) sum(rate(foo_total[5m])) > 0.05').sort(),
    ).toEqual(['foo_total', 'http_requests_total']);
    expect(metricNames('histogram_quantile(0.95, sum by (le) (rate(search_duration_seconds_bucket[5m])))')).toEqual([
      'search_duration_seconds_bucket',
    ]);
    expect(metricNames('up{job="datafactory-ingest"} == 0 unless on (queue) bar')).toEqual(['up', 'bar']);
  });

  it('covers the required alerts', () => {
    const exprs = rules.map((r) => r.expr).join('\n');
    for (const needed of [
      'worker_queue_length',
      'http_requests_total',
      'up',
      'dead_letter_queue_size',
      'embedding_api_calls_total',
      'process_resident_memory_bytes',
      'outbox_lag_seconds',
    ]) {
      expect(rules.some((r) => metricNames(r.expr).includes(needed))).toBe(true);
    }
    expect(exprs).toContain('status="dead_lettered"');
    expect(rules.some((r) => /erasure/i.test(r.alert))).toBe(true);
  });

  it('every rule has a severity, a summary, a description and a runbook_url to an existing runbook', () => {
    const problems: string[] = [];
    for (const rule of rules) {
      if (!['critical', 'warning', 'info'].includes(rule.labels['severity'] ?? '')) problems.push(`${rule.alert}: severity`);
      if (!rule.annotations['summary']) problems.push(`${rule.alert}: summary`);
      if (!rule.annotations['description']) problems.push(`${rule.alert}: description`);
      const url = rule.annotations['runbook_url'] ?? '';
      if (!/^runbooks\/[a-z0-9-]+\.md$/.test(url)) problems.push(`${rule.alert}: runbook_url "${url}" is not runbooks/<file>.md`);
      else if (!existsSync(join(ROOT, url))) problems.push(`${rule.alert}: ${url} does not exist`);
    }
    expect(problems).toEqual([]);
  });

  it('every metric used by an alert rule is exported by a running service', () => {
    const missing = rules.flatMap((r) => {
      const names = metricNames(r.expr);
      if (names.length === 0) return [`${r.alert}: no metric in expr`];
      return names.filter((n) => !exported.has(n)).map((n) => `${r.alert}: ${n}`);
    });
    expect(missing).toEqual([]);
  });

  it('there are the five dashboards, each with a title, a uid and panels', () => {
    const files = dashboardFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    const uids = new Set<string>();
    for (const file of files) {
      const d = readDashboard(file);
      expect({ file, title: typeof d.title === 'string' && d.title.length > 0 }).toEqual({ file, title: true });
      expect({ file, uid: typeof d.uid === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(d.uid) }).toEqual({ file, uid: true });
      expect({ file, panels: Array.isArray(d.panels) && d.panels.length > 0 }).toEqual({ file, panels: true });
      expect(typeof d.schemaVersion).toBe('number');
      uids.add(d.uid as string);
    }
    expect(uids.size).toBe(files.length);
  });

  it('every dashboard query uses only metrics a running service exports', () => {
    const missing: string[] = [];
    let queries = 0;
    for (const file of dashboardFiles()) {
      for (const panel of allPanels(readDashboard(file).panels)) {
        if (panel.type === 'row') continue;
        const targets = panel.targets ?? [];
        if (targets.length === 0) missing.push(`${file} / ${panel.title}: no targets`);
        for (const target of targets) {
          queries++;
          const names = metricNames(target.expr ?? '');
          if (names.length === 0) missing.push(`${file} / ${panel.title}: no metric in "${target.expr}"`);
          for (const n of names) if (!exported.has(n)) missing.push(`${file} / ${panel.title}: ${n}`);
        }
      }
    }
    expect(queries).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
