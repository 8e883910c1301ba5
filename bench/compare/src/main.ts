/**
 * `npm run bench:compare`: LangChain.js PGVectorStore and DataFactory on the same corpus, the same
 * Postgres and the same deterministic embedding server, in one run. See bench/README.md.
 * Writes <out>.json, <out>.md and <out>.svg and prints the Markdown.
 * Exit code: 0 the run completed (whatever the goals say), 1 a phase failed, 2 could not start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { dropTestDatabase } from '../../../libs/testing/src/test-database';
import { BenchCorpus, QueryPool, buildCorpus } from './corpus/corpus';
import { DataFactoryQueries, DataFactoryResult, runDataFactory } from './datafactory/datafactory-run';
import { BENCH_DIMENSIONS, BENCH_EMBEDDING_MODEL, EmbeddingServer } from './embedding-server';
import type { QualityBySplit } from './measure/quality';
import { CompareOptions, USAGE, UsageError, parseOptions } from './options';
import { repoRoot } from './paths';
import { PeerResult, runPeer } from './peer/langchain-peer';
import { createEmptyDatabase, serverInfo } from './postgres';
import { Baseline, evaluateGoals } from './report/goals';
import { renderMarkdown } from './report/markdown';
import { CompareResults, isOk } from './report/results';
import { renderSvg } from './report/svg';

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[bench:compare +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
};
const fromRoot = (path: string): string => (isAbsolute(path) ? path : join(repoRoot, path));

async function main(): Promise<number> {
  const startedAt = new Date(started).toISOString();
  let opts: CompareOptions | null;
  try {
    opts = parseOptions(process.argv.slice(2), startedAt.replace(/[:.]/g, '-'));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (opts === null) {
    process.stdout.write(USAGE);
    return 0;
  }

  const corpus = buildCorpus({
    repoRoot,
    dataDir: fromRoot(opts.dataDir),
    longDocs: opts.docs,
    debianDocs: opts.debianDocs,
    labelled: opts.labelled,
  });
  log(
    `corpus: ${corpus.stats.documents} documents, ${(corpus.stats.bytes / 2 ** 20).toFixed(1)} MB, ${corpus.labelled.length} labelled queries`,
  );
  const baseline = opts.baseline ? readBaseline(fromRoot(opts.baseline)) : null;
  const pool = new QueryPool(corpus.queryPool);
  const perRun = opts.warmup + opts.queries;
  // The peer shares the DataFactory hybrid runs' queries (it has no query cache); every DataFactory run has its own.
  const hybridLatency = pool.take(perRun);
  const hybridThroughput = pool.take(opts.throughputQueries);
  const dfQueries: DataFactoryQueries = {
    latency: { hybrid: hybridLatency, vector: pool.take(perRun), keyword: pool.take(perRun) },
    throughput: { hybrid: hybridThroughput, vector: pool.take(opts.throughputQueries) },
    pool,
  };

  const machine = {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? '?',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    ...(await serverInfo()),
  };
  const server = await EmbeddingServer.start();
  log(`embedding server at ${server.baseUrl}`);
  let peer: PeerResult | { error: string } | null = null;
  let datafactory: DataFactoryResult | { error: string } | null = null;
  try {
    if (!opts.skipPeer) peer = await phase('peer', () => runPeerPhase(server, corpus, hybridLatency, hybridThroughput, opts));
    if (!opts.skipDataFactory) datafactory = await phase('datafactory', () => runDataFactory(server, corpus, dfQueries, opts, log));
  } finally {
    await server.close();
  }

  const results: CompareResults = {
    schema: 'datafactory-bench-compare/1',
    started_at: startedAt,
    finished_at: new Date().toISOString(),
    git_commit: gitCommit(),
    machine,
    options: opts,
    corpus: corpus.stats,
    embedding_server: {
      model: BENCH_EMBEDDING_MODEL,
      dimensions: BENCH_DIMENSIONS,
      embedder: 'feature hashing (libs/embedding HashEmbeddingProvider) behind libs/embedding/src/testing/fake-openai-server',
    },
    peer,
    datafactory,
    goals: evaluateGoals(isOk(datafactory) ? datafactory : null, isOk(peer) ? peer : null, baseline),
  };
  const out = fromRoot(opts.out);
  mkdirSync(dirname(out), { recursive: true });
  const markdown = renderMarkdown(results);
  writeFileSync(`${out}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${out}.md`, markdown);
  writeFileSync(`${out}.svg`, renderSvg(results));
  process.stdout.write(`${markdown}\n`);
  log(`wrote ${out}.json, .md and .svg`);
  const failed =
    (peer !== null && !isOk(peer)) || (datafactory !== null && !isOk(datafactory)) || (isOk(datafactory) && datafactory.errors.length > 0);
  return failed ? 1 : 0;
}

async function runPeerPhase(
  server: EmbeddingServer,
  corpus: BenchCorpus,
  latency: string[],
  throughput: string[],
  opts: CompareOptions,
): Promise<PeerResult> {
  const url = await createEmptyDatabase('bench_lc');
  log(`peer: database ${new URL(url).pathname.slice(1)}`);
  try {
    return await runPeer(url, server, corpus, { latency, throughput }, opts, log);
  } finally {
    if (!opts.keepDatabases) await dropTestDatabase(url);
  }
}

/** A failed phase is recorded in the results, and the run goes on with the other system. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new Error(`--baseline ${file} does not exist`);
  const previous = JSON.parse(readFileSync(file, 'utf8')) as Partial<CompareResults>;
  const df = previous.datafactory;
  if (!df || !isOk(df)) throw new Error(`--baseline ${file} has no DataFactory results`);
  return { source: file.replace(`${repoRoot}/`, ''), quality: df.quality as Record<string, QualityBySplit> };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:compare could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
