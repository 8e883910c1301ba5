/**
 * DataFactory as a user runs it: the five services from dist/ (libs/testing's startStack) on their own
 * migrated database and ports, EMBEDDING_PROVIDER=openai pointed at the bench's embedding server, and
 * everything else at its defaults. Every measure goes through the gateway, except the few that need
 * the database (datafactory-database.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashEmbeddingProvider } from '../../../../libs/embedding/src/hash-embedding.provider';
import { RunningStack, SERVICES, ServiceName, cleanRedis, startStack, stopStack } from '../../../../libs/testing/src/stack';
import { createTestDatabase, dropTestDatabase } from '../../../../libs/testing/src/test-database';
import { runPool } from '../../../lib/api';
import type { Summary } from '../../../lib/percentile';
import type { BenchCorpus, BenchDoc, QueryPool } from '../corpus/corpus';
import { BENCH_DIMENSIONS, BENCH_EMBEDDING_MODEL, EmbeddingServer } from '../embedding-server';
import { LatencyResult, ThroughputResult, measureLatency, measureThroughput } from '../measure/latency';
import { QualityBySplit, meanRecall, scoreLabelled } from '../measure/quality';
import type { CompareOptions } from '../options';
import { repoRoot } from '../paths';
import { withClient } from '../postgres';
import { Scope, chunkStorage, exactTopK, filterCounts } from './datafactory-database';
import { GatewayClient, IngestRun, SEARCH_MODES, SearchMode, Tenant } from './gateway-client';

export interface FilteredResult {
  mode: SearchMode;
  queries: number;
  /** Searches that returned min(k, matching chunks) rows. */
  returned_k: number;
  /** Matching chunks / chunks of the namespace, averaged over the filters used. */
  selectivity: number;
  errors: number;
  /** The searches that came back short (goal 4c), at most 10. */
  short: string[];
}

export interface TenantsResult {
  documents_per_tenant: number;
  alone_docs_per_s: number;
  concurrent_docs_per_s: number[];
  /** 1 − concurrent / alone, per tenant. */
  loss: number[];
}

export interface ScalePoint {
  chunks: number;
  documents: number;
  /** Over the documents added to reach this point. */
  ingest_docs_per_s: number;
  ingest_chunks_per_s: number;
  hybrid_p50_ms: number | null;
  vector_p50_ms: number | null;
}

export interface DataFactoryResult {
  settings: Record<string, string>;
  ingest: IngestRun & { chunks: number; embedding_requests: number; embedding_texts: number; index_valid: boolean };
  latency: Record<SearchMode, LatencyResult & { empty: number }>;
  throughput: Partial<Record<SearchMode, ThroughputResult>>;
  filtered: FilteredResult[];
  recall_vs_exact: { queries: number; recall_at_10: number | null; error: string | null };
  quality: Record<SearchMode, QualityBySplit>;
  reingest: IngestRun & { embedding_requests: number };
  tenants: TenantsResult | null;
  rss_kb: Record<ServiceName, { rss: number | null; peak: number | null }>;
  storage: { rows: number; bytes: number; bytes_per_100k: number | null } | null;
  scale: ScalePoint[];
  errors: string[];
}

const NAMESPACE = 'corpus';
const K = 10;
const QUALITY_K = 50;
const FILTER_QUERIES = 20;

export interface DataFactoryQueries {
  latency: Record<SearchMode, string[]>;
  throughput: Partial<Record<SearchMode, string[]>>;
  pool: QueryPool;
}

export async function runDataFactory(
  server: EmbeddingServer,
  corpus: BenchCorpus,
  queries: DataFactoryQueries,
  opts: CompareOptions,
  log: (line: string) => void,
): Promise<DataFactoryResult> {
  const databaseUrl = await createTestDatabase('bench_df');
  log(`datafactory: database ${new URL(databaseUrl).pathname.slice(1)}`);
  const settings = {
    EMBEDDING_PROVIDER: 'openai',
    EMBEDDING_BASE_URL: server.baseUrl,
    EMBEDDING_MODEL: BENCH_EMBEDDING_MODEL,
    EMBEDDING_DIMENSIONS: String(BENCH_DIMENSIONS),
  };
  let stack: RunningStack | undefined;
  try {
    stack = await startStack({ databaseUrl, env: settings, logDir: join(repoRoot, 'tmp', 'bench-compare', `stack-${Date.now()}`) });
    log(`datafactory: stack up at ${stack.gatewayUrl} (logs in ${stack.logDir})`);
    return { settings, ...(await measure(stack, databaseUrl, server, corpus, queries, opts, log)) };
  } finally {
    if (stack) {
      await stopStack(stack);
      await cleanRedis(stack).catch(() => undefined);
    }
    if (!opts.keepDatabases) await dropTestDatabase(databaseUrl);
  }
}

async function measure(
  stack: RunningStack,
  databaseUrl: string,
  server: EmbeddingServer,
  corpus: BenchCorpus,
  queries: DataFactoryQueries,
  opts: CompareOptions,
  log: (line: string) => void,
): Promise<Omit<DataFactoryResult, 'settings'>> {
  const gateway = new GatewayClient(stack.gatewayUrl, stack.adminToken);
  const errors: string[] = [];
  const tenant = await gateway.createTenant('bench-compare');

  // Ingest: time to searchable.
  let before = await server.stats();
  const ingestRun = await gateway.ingest(tenant.key, NAMESPACE, corpus.docs, opts.batchSize);
  let after = await server.stats();
  const stats = await gateway.indexStats(tenant.key, NAMESPACE);
  errors.push(...ingestRun.errors.map((e) => `ingest job ${e}`));
  const ingest = {
    ...ingestRun,
    chunks: stats.chunks,
    embedding_requests: after.requests - before.requests,
    embedding_texts: after.texts - before.texts,
    index_valid: stats.index?.valid === true,
  };
  log(
    `datafactory: ingest ${ingest.time_to_searchable_s.toFixed(1)} s (${ingest.docs_per_s.toFixed(1)} docs/s, ${ingest.chunks} chunks, ${ingest.embedding_requests} embedding requests)`,
  );

  // Latency per mode, each on its own queries (the search service caches query embeddings).
  const vectorHits = new Map<string, string[]>();
  let embeddingVersion = '';
  const searcher =
    (mode: SearchMode, record?: Map<string, string[]>) =>
    async (query: string): Promise<boolean> => {
      const res = await gateway.search(tenant.key, { namespace: NAMESPACE, query, mode, top_k: K });
      if (!res.ok) return false;
      embeddingVersion = res.body.embedding_version;
      record?.set(
        query,
        res.body.results.map((r) => r.chunk_id),
      );
      if (res.body.results.length === 0) empty[mode] += 1;
      return true;
    };
  const empty: Record<SearchMode, number> = { hybrid: 0, vector: 0, keyword: 0 };
  const latency = {} as DataFactoryResult['latency'];
  for (const mode of SEARCH_MODES) {
    const result = await measureLatency(queries.latency[mode], opts.warmup, searcher(mode, mode === 'vector' ? vectorHits : undefined));
    latency[mode] = { ...result, empty: empty[mode] };
    if (result.errors > 0) errors.push(`${mode} latency run: ${result.errors} searches failed`);
    log(
      `datafactory: ${mode} p50 ${result.ms?.p50.toFixed(1) ?? '-'} ms, p99 ${result.ms?.p99.toFixed(1) ?? '-'} ms (${empty[mode]} empty, ${result.errors} errors)`,
    );
  }
  const throughput: DataFactoryResult['throughput'] = {};
  for (const mode of SEARCH_MODES) {
    const list = queries.throughput[mode];
    if (!list) continue;
    throughput[mode] = await measureThroughput(list, opts.concurrency, searcher(mode));
    if (throughput[mode].errors > 0) errors.push(`${mode} throughput run: ${throughput[mode].errors} searches failed`);
    log(`datafactory: ${mode} ${throughput[mode].searches_per_s.toFixed(1)} searches/s at ${opts.concurrency} clients`);
  }

  const scope: Scope = { tenantId: tenant.tenantId, namespace: NAMESPACE, embeddingVersion };
  const filtered = await measureFiltered(gateway, tenant, databaseUrl, queries.pool);
  const recallVsExact = await measureRecallVsExact(databaseUrl, scope, vectorHits, queries.latency.vector.slice(opts.warmup));
  if (recallVsExact.error) errors.push(`recall vs exact: ${recallVsExact.error}`);
  log(`datafactory: recall@10 vs exact ${recallVsExact.recall_at_10?.toFixed(3) ?? '-'}`);

  const quality = {} as DataFactoryResult['quality'];
  for (const mode of SEARCH_MODES) {
    const ranked: (string[] | null)[] = new Array<string[] | null>(corpus.labelled.length).fill(null);
    await runPool(corpus.labelled, 4, async (q, i) => {
      const res = await gateway.search(tenant.key, { namespace: NAMESPACE, query: q.query, mode, top_k: QUALITY_K });
      if (res.ok) ranked[i] = res.body.results.map((r) => r.doc_id);
    });
    quality[mode] = scoreLabelled(corpus.labelled, ranked);
  }

  // Re-ingest of the unchanged corpus: the idempotent path, which should embed nothing.
  before = await server.stats();
  const reingestRun = await gateway.ingest(tenant.key, NAMESPACE, corpus.docs, opts.batchSize);
  after = await server.stats();
  const reingest = { ...reingestRun, embedding_requests: after.requests - before.requests };
  errors.push(...reingestRun.errors.map((e) => `re-ingest job ${e}`));
  log(
    `datafactory: re-ingest ${reingest.docs_per_s.toFixed(0)} docs/s, ${reingest.embedding_requests} embedding requests, ${reingest.counts.unchanged} unchanged`,
  );

  const tenants =
    opts.tenantDocs > 0 ? await measureTenants(gateway, corpus.docs.slice(0, opts.tenantDocs), opts.batchSize, errors, log) : null;
  const scale = opts.scale.length > 0 ? await measureScale(gateway, corpus.docs, queries.pool, opts, log) : [];

  const rss = Object.fromEntries(SERVICES.map((svc) => [svc, memoryOf(stack.pids[svc])])) as DataFactoryResult['rss_kb'];
  const storage = await withClient(databaseUrl, chunkStorage).catch((error: unknown) => {
    errors.push(`storage: ${String(error)}`);
    return null;
  });
  return {
    ingest,
    latency,
    throughput,
    filtered,
    recall_vs_exact: recallVsExact,
    quality,
    reingest,
    tenants,
    rss_kb: rss,
    storage,
    scale,
    errors,
  };
}

/** Filtered searches at about 1 % selectivity (one `bucket` of 100): do they still return k rows? */
async function measureFiltered(gateway: GatewayClient, tenant: Tenant, databaseUrl: string, pool: QueryPool): Promise<FilteredResult[]> {
  const out: FilteredResult[] = [];
  await withClient(databaseUrl, async (client) => {
    for (const mode of ['vector', 'hybrid'] as const) {
      let returnedK = 0;
      let failed = 0;
      let selectivity = 0;
      const short: string[] = [];
      const list = pool.take(FILTER_QUERIES);
      for (const [i, query] of list.entries()) {
        const filter = { bucket: (i * 37) % 100 };
        const counts = await filterCounts(client, { tenantId: tenant.tenantId, namespace: NAMESPACE }, filter);
        selectivity += counts.total === 0 ? 0 : counts.matching / counts.total;
        const res = await gateway.search(tenant.key, { namespace: NAMESPACE, query, mode, top_k: K, filter });
        if (!res.ok) failed += 1;
        else if (res.body.results.length === Math.min(K, counts.matching)) returnedK += 1;
        else if (short.length < 10)
          short.push(`${JSON.stringify(filter)}: ${res.body.results.length} rows, ${Math.min(K, counts.matching)} expected`);
      }
      out.push({ mode, queries: list.length, returned_k: returnedK, selectivity: selectivity / list.length, errors: failed, short });
    }
  });
  return out;
}

async function measureRecallVsExact(
  databaseUrl: string,
  scope: Scope,
  hits: Map<string, string[]>,
  queries: readonly string[],
): Promise<DataFactoryResult['recall_vs_exact']> {
  const embedder = new HashEmbeddingProvider(BENCH_DIMENSIONS);
  const measured = queries.filter((q) => hits.has(q));
  try {
    const exact = await withClient(databaseUrl, async (client) => {
      const out: string[][] = [];
      for (const query of measured) {
        const [vector] = await embedder.embed([query]);
        out.push(await exactTopK(client, scope, vector ?? [], K));
      }
      return out;
    });
    return {
      queries: measured.length,
      recall_at_10: meanRecall(
        measured.map((q) => hits.get(q) ?? []),
        exact,
      ),
      error: null,
    };
  } catch (error) {
    return { queries: measured.length, recall_at_10: null, error: String(error) };
  }
}

/**
 * The same documents ingested by one tenant alone, then by two tenants at once. Every tenant's text is
 * the corpus' own, already in the embedding cache, so alone and together differ only in contention.
 */
async function measureTenants(
  gateway: GatewayClient,
  docs: readonly BenchDoc[],
  batchSize: number,
  errors: string[],
  log: (line: string) => void,
): Promise<TenantsResult> {
  const alone = await gateway.createTenant('bench-alone');
  const aloneRun = await gateway.ingest(alone.key, NAMESPACE, docs, batchSize);
  const pair = [await gateway.createTenant('bench-pair-a'), await gateway.createTenant('bench-pair-b')];
  const runs = await Promise.all(pair.map((t) => gateway.ingest(t.key, NAMESPACE, docs, batchSize)));
  for (const run of [aloneRun, ...runs]) errors.push(...run.errors.map((e) => `tenant ingest job ${e}`));
  const result = {
    documents_per_tenant: docs.length,
    alone_docs_per_s: aloneRun.docs_per_s,
    concurrent_docs_per_s: runs.map((r) => r.docs_per_s),
    loss: runs.map((r) => 1 - r.docs_per_s / aloneRun.docs_per_s),
  };
  log(
    `datafactory: tenants alone ${result.alone_docs_per_s.toFixed(1)} docs/s, together ${result.concurrent_docs_per_s.map((x) => x.toFixed(1)).join(' + ')} docs/s`,
  );
  return result;
}

/**
 * The scale curve: copies of the corpus (doc ids and a last line changed, so most chunks hit the
 * embedding cache) ingested into one namespace until it holds each chunk count; at each point the
 * ingest rate of the step and the hybrid and vector p50.
 */
async function measureScale(
  gateway: GatewayClient,
  docs: readonly BenchDoc[],
  pool: QueryPool,
  opts: CompareOptions,
  log: (line: string) => void,
): Promise<ScalePoint[]> {
  const tenant = await gateway.createTenant('bench-scale');
  const namespace = 'scale';
  const points: ScalePoint[] = [];
  let copy = 0;
  let chunks = 0;
  let documents = 0;
  const p50 = async (mode: SearchMode): Promise<Summary | null> => {
    const result = await measureLatency(pool.take(Math.min(opts.queries, 100) + opts.warmup), opts.warmup, async (query) => {
      const res = await gateway.search(tenant.key, { namespace, query, mode, top_k: K });
      return res.ok;
    });
    return result.ms;
  };
  for (const target of opts.scale) {
    let seconds = 0;
    let addedDocs = 0;
    const startChunks = chunks;
    while (chunks < target) {
      const n = copy;
      const batch = docs.map((d) => ({ ...d, id: `${d.id}#copy-${n}`, text: `${d.text}\n\ncopy ${n}` }));
      const run = await gateway.ingest(tenant.key, namespace, batch, opts.batchSize);
      seconds += run.time_to_searchable_s;
      addedDocs += batch.length;
      copy += 1;
      chunks = (await gateway.indexStats(tenant.key, namespace)).chunks;
      log(`datafactory: scale ${chunks}/${target} chunks`);
    }
    documents += addedDocs;
    const point: ScalePoint = {
      chunks,
      documents,
      ingest_docs_per_s: seconds === 0 ? 0 : addedDocs / seconds,
      ingest_chunks_per_s: seconds === 0 ? 0 : (chunks - startChunks) / seconds,
      hybrid_p50_ms: (await p50('hybrid'))?.p50 ?? null,
      vector_p50_ms: (await p50('vector'))?.p50 ?? null,
    };
    points.push(point);
    log(
      `datafactory: scale ${chunks} chunks: ${point.ingest_chunks_per_s.toFixed(0)} chunks/s, hybrid p50 ${point.hybrid_p50_ms?.toFixed(1) ?? '-'} ms`,
    );
  }
  return points;
}

/** VmRSS and VmHWM (peak) of a process, in kB. */
function memoryOf(pid: number): { rss: number | null; peak: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number | null => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) : null;
    };
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: null, peak: null };
  }
}
