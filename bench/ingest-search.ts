/**
 * Ingest + search benchmark of a running DataFactory stack, through the public REST API only.
 * See bench/README.md. Build with `npm run build`, run with `npm run bench -- [options]`.
 *
 * Phases: create a tenant and a writer key -> upsert every document (ingest) -> upsert them again
 * (re-ingest, the idempotent "unchanged" path) -> searches per mode (hybrid, vector, keyword, and
 * hybrid with a metadata filter) -> index stats. Writes a JSON results file and prints a table.
 * Exit code: 0 all requests succeeded, 1 some benchmark request failed, 2 could not run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiClient, ApiResult, runPool } from './lib/api';
import { BenchDocument, buildQueries, categoryValues, Corpus, loadCorpus, syntheticCorpus } from './lib/corpus';
import { BenchOptions, parseOptions, USAGE, UsageError } from './lib/options';
import { Summary, summarize } from './lib/percentile';
import { createRng, deriveSeed } from './lib/prng';
import { fmt, formatTable } from './lib/table';

// --- API response shapes (only the fields the benchmark reads) ----------------------------------

interface HealthResponse {
  status: string;
  checks?: Record<string, { status: string; message?: string }>;
}
interface TenantResponse {
  tenant_id: string;
}
interface ApiKeyResponse {
  key_id: string;
  api_key: string;
}
interface UpsertResponse {
  status: string;
  chunks: number;
  embedding_version: string;
}
interface SearchResponse {
  results: { metadata?: Record<string, unknown> }[];
  total_found: number;
  took_ms: number;
}
type IndexStatsResponse = Record<string, unknown>;

type Filter = Record<string, string | number | boolean>;
type SearchMode = 'hybrid' | 'vector' | 'keyword';

// --- Results --------------------------------------------------------------------------------------

interface Failures {
  failed: number;
  /** Count per "<HTTP status> <error code>" (status 0 = no HTTP response). */
  by_error: Record<string, number>;
  /** The first few failures, for diagnosis. */
  samples: string[];
}

interface IngestResult extends Failures {
  phase: 'ingest' | 're-ingest';
  requests: number;
  succeeded: number;
  wall_ms: number;
  docs_per_s: number;
  chunks: number;
  chunks_per_s: number;
  text_bytes: number;
  bytes_per_s: number;
  /** Upsert statuses of the successful requests: created / updated / unchanged. */
  statuses: Record<string, number>;
  /** Client-side latency of the successful requests. */
  latency_ms: Summary | null;
}

interface SearchRunResult extends Failures {
  name: string;
  mode: SearchMode;
  filtered: boolean;
  requests: number;
  succeeded: number;
  wall_ms: number;
  queries_per_s: number;
  latency_ms: Summary | null;
  /** Server-side time reported in the response (`took_ms`). */
  took_ms: Summary | null;
  results_mean: number | null;
  total_found_mean: number | null;
  zero_results: number;
  /** Filtered run only: the filter values used, and results whose metadata did not match the filter. */
  filter_values?: (string | number | boolean)[];
  filter_mismatches?: number;
}

const MAX_SAMPLES = 5;

class FailureLog {
  readonly data: Failures = { failed: 0, by_error: {}, samples: [] };

  add(result: Extract<ApiResult<unknown>, { ok: false }>, what: string): void {
    this.data.failed++;
    const key = `${result.status} ${result.code}`;
    this.data.by_error[key] = (this.data.by_error[key] ?? 0) + 1;
    if (this.data.samples.length < MAX_SAMPLES) this.data.samples.push(`${what}: ${key}: ${result.message}`);
  }
}

// --- Helpers --------------------------------------------------------------------------------------

/** A setup problem that stops the run (exit code 2). */
class FatalError extends Error {}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
const perSecond = (count: number, ms: number): number => (ms > 0 ? round((count * 1000) / ms) : 0);
const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length));

function roundSummary(s: Summary | null): Summary | null {
  return (
    s && { n: s.n, min: round(s.min), mean: round(s.mean), p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max) }
  );
}

function describeFailure(result: Extract<ApiResult<unknown>, { ok: false }>): string {
  return `${result.status === 0 ? 'no response' : `HTTP ${result.status}`} ${result.code}: ${result.message}`;
}

/** Prints "label done/total" to stderr every 5 s while a long phase runs. */
function progress(label: string, total: number, done: () => number): () => void {
  const timer = setInterval(() => process.stderr.write(`  ${label}: ${done()}/${total}\n`), 5000);
  timer.unref();
  return () => clearInterval(timer);
}

function gitCommit(): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
  } catch {
    return null;
  }
}

// --- Phases ---------------------------------------------------------------------------------------

interface Context {
  api: ApiClient;
  options: BenchOptions;
  namespace: string;
  writerKey: string;
}

async function ingestPhase(
  ctx: Context,
  phase: IngestResult['phase'],
  documents: readonly BenchDocument[],
): Promise<{ result: IngestResult; embeddingVersion: string | undefined }> {
  const failures = new FailureLog();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let succeeded = 0;
  let chunks = 0;
  let textBytes = 0;
  let done = 0;
  let embeddingVersion: string | undefined;

  const stop = progress(phase, documents.length, () => done);
  const started = performance.now();
  await runPool(documents, ctx.options.concurrency, async (doc) => {
    const res = await ctx.api.request<UpsertResponse>('POST', '/v1/docs/upsert', ctx.writerKey, { namespace: ctx.namespace, ...doc });
    done++;
    if (!res.ok) return failures.add(res, `${phase} ${JSON.stringify(doc.doc_id)}`);
    succeeded++;
    latencies.push(res.ms);
    chunks += res.body.chunks;
    textBytes += Buffer.byteLength(doc.text, 'utf8');
    statuses[res.body.status] = (statuses[res.body.status] ?? 0) + 1;
    embeddingVersion ??= res.body.embedding_version;
  });
  const wallMs = performance.now() - started;
  stop();

  const result: IngestResult = {
    phase,
    requests: documents.length,
    succeeded,
    ...failures.data,
    wall_ms: round(wallMs),
    docs_per_s: perSecond(succeeded, wallMs),
    chunks,
    chunks_per_s: perSecond(chunks, wallMs),
    text_bytes: textBytes,
    bytes_per_s: perSecond(textBytes, wallMs),
    statuses,
    latency_ms: roundSummary(summarize(latencies)),
  };
  return { result, embeddingVersion };
}

async function searchPhase(
  ctx: Context,
  name: string,
  mode: SearchMode,
  queries: readonly string[],
  filters?: readonly Filter[],
): Promise<SearchRunResult> {
  const failures = new FailureLog();
  let mismatches = 0;
  const latencies: number[] = [];
  const took: number[] = [];
  const resultCounts: number[] = [];
  const totalFound: number[] = [];
  let done = 0;

  const stop = progress(`search ${name}`, queries.length, () => done);
  const started = performance.now();
  await runPool(queries, ctx.options.concurrency, async (query, i) => {
    const filter = filters?.[i];
    const body = { namespace: ctx.namespace, query, top_k: ctx.options.topK, mode, ...(filter ? { filter } : {}) };
    const res = await ctx.api.request<SearchResponse>('POST', '/v1/search', ctx.writerKey, body);
    done++;
    if (!res.ok) return failures.add(res, `search ${name} ${JSON.stringify(query)}`);
    latencies.push(res.ms);
    took.push(res.body.took_ms);
    resultCounts.push(res.body.results.length);
    totalFound.push(res.body.total_found);
    if (filter) {
      for (const hit of res.body.results) {
        if (Object.entries(filter).some(([key, value]) => hit.metadata?.[key] !== value)) mismatches++;
      }
    }
  });
  const wallMs = performance.now() - started;
  stop();

  return {
    name,
    mode,
    filtered: filters !== undefined,
    requests: queries.length,
    succeeded: latencies.length,
    ...failures.data,
    wall_ms: round(wallMs),
    queries_per_s: perSecond(latencies.length, wallMs),
    latency_ms: roundSummary(summarize(latencies)),
    took_ms: roundSummary(summarize(took)),
    results_mean: mean(resultCounts),
    total_found_mean: mean(totalFound),
    zero_results: resultCounts.filter((n) => n === 0).length,
    ...(filters === undefined
      ? {}
      : { filter_values: [...new Set(filters.flatMap((f) => Object.values(f)))].sort(), filter_mismatches: mismatches }),
  };
}

// --- Main -----------------------------------------------------------------------------------------

async function setUp(
  api: ApiClient,
  options: BenchOptions,
  stamp: string,
): Promise<{ tenantId: string; keyId: string; writerKey: string }> {
  const health = await api.request<HealthResponse>('GET', '/v1/health', null);
  if (!health.ok) {
    const down = health.status === 0 ? ' Is the stack running? Start it with: npm start -- --detach' : '';
    throw new FatalError(`health check of ${options.url} failed: ${describeFailure(health)}.${down}`);
  }
  if (health.body.status !== 'ok') throw new FatalError(`the stack is not healthy: ${JSON.stringify(health.body)}`);

  const tenant = await api.request<TenantResponse>('POST', '/v1/admin/tenants', options.adminToken, {
    name: `bench ingest-search ${stamp}`,
  });
  if (!tenant.ok) throw new FatalError(`creating the tenant failed: ${describeFailure(tenant)}`);
  const tenantId = tenant.body.tenant_id;

  const key = await api.request<ApiKeyResponse>('POST', `/v1/admin/tenants/${tenantId}/keys`, options.adminToken, {
    role: 'writer',
    name: 'bench ingest-search',
  });
  if (!key.ok) throw new FatalError(`issuing the writer key failed: ${describeFailure(key)}`);
  return { tenantId, keyId: key.body.key_id, writerKey: key.body.api_key };
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const timestamp = startedAt.toISOString();
  const stamp = timestamp.replace(/[:.]/g, '-'); // file- and namespace-safe
  const options = parseOptions(process.argv.slice(2), process.env, stamp);
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }

  let corpus: Corpus;
  try {
    corpus = options.input === undefined ? syntheticCorpus(options.seed, options.docs, options.words) : await loadCorpus(options.input);
  } catch (error) {
    throw new FatalError((error as Error).message);
  }
  for (const skipped of corpus.skipped) console.error(`warning: skipped ${skipped} (no text)`);
  const corpusBytes = corpus.documents.reduce((n, d) => n + Buffer.byteLength(d.text, 'utf8'), 0);

  // Every search run gets its own queries, so one run does not warm the search service's
  // query-embedding cache for the next.
  const queriesFor = (run: string): string[] =>
    options.queries === 0 ? [] : buildQueries(corpus.documents, options.queries, createRng(deriveSeed(options.seed, 'queries', run)));
  const categories = categoryValues(corpus.documents);

  const api = new ApiClient(options.url, options.timeoutMs);
  const namespace = `bench-${stamp}`;
  const { tenantId, keyId, writerKey } = await setUp(api, options, stamp);
  const ctx: Context = { api, options, namespace, writerKey };
  console.error(`bench: tenant ${tenantId}, namespace ${namespace}, ${corpus.documents.length} documents (${corpus.source})`);

  let ingest: IngestResult;
  let reingest: IngestResult;
  let embeddingVersion: string | undefined;
  const searches: SearchRunResult[] = [];
  let filterNote: string | null = null;
  const statsFailures = new FailureLog();
  let indexStats: IndexStatsResponse | null = null;
  try {
    console.error('bench: ingest');
    ({ result: ingest, embeddingVersion } = await ingestPhase(ctx, 'ingest', corpus.documents));
    console.error('bench: re-ingest');
    ({ result: reingest } = await ingestPhase(ctx, 're-ingest', corpus.documents));

    for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
      console.error(`bench: search ${mode}`);
      searches.push(await searchPhase(ctx, mode, mode, queriesFor(mode)));
    }
    if (categories.length > 0) {
      console.error('bench: search hybrid+filter');
      const queries = queriesFor('hybrid+filter');
      const rng = createRng(deriveSeed(options.seed, 'filters'));
      searches.push(
        await searchPhase(
          ctx,
          'hybrid+filter',
          'hybrid',
          queries,
          queries.map(() => ({ category: rng.pick(categories) })),
        ),
      );
    } else {
      filterNote = 'skipped: no document has a scalar metadata.category';
    }

    const stats = await api.request<IndexStatsResponse>('GET', `/v1/index/stats?namespace=${encodeURIComponent(namespace)}`, writerKey);
    if (stats.ok) indexStats = stats.body;
    else statsFailures.add(stats, 'index stats');
  } finally {
    // The tenant and its data stay (there is no API to delete a tenant); the key does not.
    const revoke = await api.request<unknown>('DELETE', `/v1/admin/tenants/${tenantId}/keys/${keyId}`, options.adminToken);
    if (!revoke.ok) console.error(`warning: could not revoke the bench key ${keyId}: ${describeFailure(revoke)}`);
  }

  const failed = ingest.failed + reingest.failed + searches.reduce((n, s) => n + s.failed, 0) + statsFailures.data.failed;
  const cpuList = cpus();
  const results = {
    benchmark: 'ingest-search',
    timestamp,
    git_commit: gitCommit(),
    machine: {
      cpus: cpuList.length,
      cpu_model: cpuList[0]?.model.trim() ?? 'unknown',
      total_memory_bytes: totalmem(),
      node_version: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    options: {
      url: options.url,
      input: options.input ?? null,
      docs: options.input === undefined ? options.docs : null,
      words: options.input === undefined ? options.words : null,
      seed: options.seed,
      concurrency: options.concurrency,
      queries: options.queries,
      top_k: options.topK,
      timeout_ms: options.timeoutMs,
      out: options.out,
    },
    target: { tenant_id: tenantId, namespace, embedding_version: embeddingVersion ?? null },
    corpus: { source: corpus.source, documents: corpus.documents.length, text_bytes: corpusBytes, skipped: corpus.skipped },
    ingest,
    reingest,
    search: { runs: searches, filter_note: filterNote },
    index_stats: indexStats,
    index_stats_error: statsFailures.data.samples[0] ?? null,
    failed_requests: failed,
  };

  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  printReport(results, ingest, reingest, searches, indexStats);
  console.log(`\nresults: ${options.out}`);

  if (reingest.succeeded > 0 && reingest.statuses['unchanged'] !== reingest.succeeded) {
    console.log(`warning: re-ingest expected every document "unchanged", got ${JSON.stringify(reingest.statuses)}`);
  }
  for (const run of searches) {
    if (run.filter_mismatches) console.log(`warning: ${run.name}: ${run.filter_mismatches} result(s) did not match the metadata filter`);
  }
  if (failed > 0) {
    console.log(`\n${failed} request(s) failed:`);
    for (const part of [ingest, reingest, ...searches, statsFailures.data]) {
      for (const sample of part.samples) console.log(`  ${sample}`);
    }
    return 1;
  }
  return 0;
}

function printReport(
  results: {
    timestamp: string;
    target: { namespace: string; embedding_version: string | null };
    corpus: { source: string; documents: number; text_bytes: number };
    options: { url: string; concurrency: number; queries: number; top_k: number };
  },
  ingest: IngestResult,
  reingest: IngestResult,
  searches: readonly SearchRunResult[],
  stats: IndexStatsResponse | null,
): void {
  const { options: o, corpus: c, target: t } = results;
  console.log(`\nDataFactory ingest/search benchmark  ${results.timestamp}`);
  console.log(`target  ${o.url}  namespace ${t.namespace}  embedding ${t.embedding_version ?? '-'}`);
  console.log(
    `corpus  ${c.source}, ${c.documents} docs, ${fmt(c.text_bytes / 1e6, 2)} MB  |  concurrency ${o.concurrency}, ${o.queries} queries/mode, top_k ${o.top_k}\n`,
  );

  console.log(
    formatTable(
      ['phase', 'docs', 'failed', 'wall s', 'docs/s', 'chunks', 'chunks/s', 'MB/s', 'p50 ms', 'p95 ms', 'p99 ms'],
      [ingest, reingest].map((r) => [
        r.phase,
        String(r.requests),
        String(r.failed),
        fmt(r.wall_ms / 1000, 2),
        fmt(r.docs_per_s),
        String(r.chunks),
        fmt(r.chunks_per_s),
        fmt(r.bytes_per_s / 1e6, 2),
        fmt(r.latency_ms?.p50),
        fmt(r.latency_ms?.p95),
        fmt(r.latency_ms?.p99),
      ]),
    ),
  );
  console.log('');
  console.log(
    formatTable(
      ['search', 'queries', 'failed', 'qps', 'p50 ms', 'p95 ms', 'p99 ms', 'took_ms mean', 'results mean', 'zero'],
      searches.map((s) => [
        s.name,
        String(s.requests),
        String(s.failed),
        fmt(s.queries_per_s),
        fmt(s.latency_ms?.p50),
        fmt(s.latency_ms?.p95),
        fmt(s.latency_ms?.p99),
        fmt(s.took_ms?.mean),
        fmt(s.results_mean, 2),
        String(s.zero_results),
      ]),
    ),
  );
  if (stats) {
    const index = typeof stats['index'] === 'object' && stats['index'] !== null ? (stats['index'] as Record<string, unknown>) : {};
    console.log(
      `\nindex   namespace: ${String(stats['documents'])} documents, ${String(stats['chunks'])} chunks; ` +
        `${String(index['type'])} index (all tenants): ${String(index['dimensions'])}d, valid ${String(index['valid'])}, ${fmt(Number(index['size_bytes']) / 1e6, 2)} MB`,
    );
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof FatalError) console.error(`bench: ${error.message}`);
    else console.error('bench: unexpected error:', error);
    process.exitCode = 2;
  },
);
