/**
 * The peer, set up as its documentation shows a new user: OpenAIEmbeddings pointed at the bench's
 * embedding server, RecursiveCharacterTextSplitter(1000, 200), PGVectorStore.initialize with the vector
 * dimension, addDocuments per batch, then createHnswIndex (vector_cosine_ops). Searches are
 * similaritySearch in this process. Nothing is tuned.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import { Document } from '@langchain/core/documents';
import { OpenAIEmbeddings } from '@langchain/openai';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { Client } from 'pg';
import type { BenchCorpus } from '../corpus/corpus';
import { BENCH_DIMENSIONS, BENCH_EMBEDDING_MODEL, EmbeddingServer } from '../embedding-server';
import { LatencyResult, ThroughputResult, measureLatency, measureThroughput } from '../measure/latency';
import { QualityBySplit, meanRecall, scoreLabelled } from '../measure/quality';
import { benchRoot } from '../paths';
import { bytesPer100kRows, withClient } from '../postgres';
import { runPool } from '../../../lib/api';

export interface PeerResult {
  packages: Record<string, string>;
  chunks: number;
  ingest_s: number;
  index_build_s: number;
  time_to_searchable_s: number;
  docs_per_s: number;
  embedding_requests: number;
  /** Whether the plan of similaritySearch's query uses the HNSW index, whether it can, and the plan. */
  index_used: boolean;
  index_usable: boolean;
  plan: string;
  latency: LatencyResult;
  /** similaritySearch's top 10 against a brute-force top 10, over the latency queries. */
  recall_vs_exact: number | null;
  throughput: ThroughputResult;
  quality: QualityBySplit;
  storage: { rows: number; bytes: number; bytes_per_100k: number | null };
}

export interface PeerQueries {
  latency: string[];
  throughput: string[];
}

const TABLE = 'langchain_pg_embedding';
const QUALITY_K = 50;

export async function runPeer(
  databaseUrl: string,
  server: EmbeddingServer,
  corpus: BenchCorpus,
  queries: PeerQueries,
  opts: { batchSize: number; warmup: number; concurrency: number },
  log: (line: string) => void,
): Promise<PeerResult> {
  const embeddings = new OpenAIEmbeddings({
    model: BENCH_EMBEDDING_MODEL,
    dimensions: BENCH_DIMENSIONS,
    apiKey: 'bench-key',
    configuration: { baseURL: server.baseUrl },
  });
  const store = await PGVectorStore.initialize(embeddings, {
    postgresConnectionOptions: { connectionString: databaseUrl },
    tableName: TABLE,
    dimensions: BENCH_DIMENSIONS,
    distanceStrategy: 'cosine',
  });
  try {
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
    const before = await server.stats();
    let chunks = 0;
    const ingestStarted = performance.now();
    for (let i = 0; i < corpus.docs.length; i += opts.batchSize) {
      const batch = corpus.docs
        .slice(i, i + opts.batchSize)
        .map((d) => new Document({ pageContent: d.text, metadata: { doc_id: d.id, ...d.metadata } }));
      const split = await splitter.splitDocuments(batch);
      await store.addDocuments(split);
      chunks += split.length;
      log(`peer: ${Math.min(i + opts.batchSize, corpus.docs.length)}/${corpus.docs.length} documents, ${chunks} chunks`);
    }
    const ingestS = (performance.now() - ingestStarted) / 1000;
    const indexStarted = performance.now();
    await store.createHnswIndex({ dimensions: BENCH_DIMENSIONS });
    const indexS = (performance.now() - indexStarted) / 1000;
    const after = await server.stats();
    log(`peer: ingest ${ingestS.toFixed(1)} s, HNSW build ${indexS.toFixed(1)} s`);

    const { indexUsed, indexUsable, plan, storage } = await withClient(databaseUrl, async (c) => {
      const indexes = await c.query(`SELECT 1 FROM pg_indexes WHERE tablename = $1 AND indexdef ILIKE '%USING hnsw%'`, [TABLE]);
      // createHnswIndex logs and swallows its errors; a run without the index is no comparison.
      if (indexes.rowCount === 0) throw new Error(`createHnswIndex left ${TABLE} without an HNSW index`);
      return { ...(await explainSearch(c, embeddings, queries.latency[0] ?? 'query')), storage: await bytesPer100kRows(c, TABLE) };
    });

    const hits = new Map<string, string[]>();
    const search = async (query: string): Promise<boolean> => (await store.similaritySearch(query, 10)).length > 0;
    const latency = await measureLatency(queries.latency, opts.warmup, async (query) => {
      const docs = await store.similaritySearch(query, 10);
      hits.set(
        query,
        docs.map((d) => String(d.id)),
      );
      return docs.length > 0;
    });
    log(`peer: similaritySearch p50 ${latency.ms?.p50.toFixed(1) ?? '-'} ms`);
    const throughput = await measureThroughput(queries.throughput, opts.concurrency, search);
    log(`peer: ${throughput.searches_per_s.toFixed(1)} searches/s at ${opts.concurrency} clients`);

    const measured = queries.latency.slice(opts.warmup);
    const exact = await withClient(databaseUrl, async (c) => {
      const out: string[][] = [];
      for (const query of measured) out.push(await exactTopK(c, await embeddings.embedQuery(query), 10));
      return out;
    });
    const recallVsExact = meanRecall(
      measured.map((q) => hits.get(q) ?? []),
      exact,
    );
    log(`peer: recall@10 vs exact ${recallVsExact?.toFixed(3) ?? '-'}`);

    const ranked: (string[] | null)[] = new Array<string[] | null>(corpus.labelled.length).fill(null);
    await runPool(corpus.labelled, 4, async (q, i) => {
      const docs = await store.similaritySearch(q.query, QUALITY_K);
      ranked[i] = docs.map((d) => String(d.metadata['doc_id']));
    });

    return {
      packages: peerPackages(),
      chunks,
      ingest_s: ingestS,
      index_build_s: indexS,
      time_to_searchable_s: ingestS + indexS,
      docs_per_s: corpus.docs.length / ingestS,
      embedding_requests: after.requests - before.requests,
      index_used: indexUsed,
      index_usable: indexUsable,
      plan,
      latency,
      recall_vs_exact: recallVsExact,
      throughput,
      quality: scoreLabelled(corpus.labelled, ranked),
      storage,
    };
  } finally {
    await store.end();
  }
}

/**
 * The plan of the query similaritySearch sends (its SQL, as of @langchain/community 1.x), as the planner
 * chooses it, and whether the HNSW index can serve it at all (the plan with sequential scans off).
 */
async function explainSearch(
  c: Client,
  embeddings: OpenAIEmbeddings,
  query: string,
): Promise<{ indexUsed: boolean; indexUsable: boolean; plan: string }> {
  const vector = `[${(await embeddings.embedQuery(query)).join(',')}]`;
  const explain = async (): Promise<string> => {
    const result = await c.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT *, "embedding" <=> $1 AS "_distance" FROM ${TABLE} ORDER BY "_distance" ASC LIMIT $2`,
      [vector, 10],
    );
    return result.rows
      .map((r) => r['QUERY PLAN'])
      .join('\n')
      .replace(/'\[[^\]]*\]'/g, "'[…]'");
  };
  const usesIndex = (plan: string): boolean => /Index Scan using \S*hnsw/i.test(plan);
  const plan = await explain();
  await c.query('BEGIN');
  try {
    await c.query('SET LOCAL enable_seqscan = off');
    return { indexUsed: usesIndex(plan), indexUsable: usesIndex(await explain()), plan };
  } finally {
    await c.query('ROLLBACK');
  }
}

/** Brute-force cosine top-k of the peer's table (index scans off). */
async function exactTopK(c: Client, vector: readonly number[], k: number): Promise<string[]> {
  await c.query('BEGIN');
  try {
    await c.query('SET LOCAL enable_indexscan = off');
    const result = await c.query<{ id: string }>(`SELECT id::text AS id FROM ${TABLE} ORDER BY embedding <=> $1::vector, id LIMIT $2`, [
      `[${vector.join(',')}]`,
      k,
    ]);
    return result.rows.map((r) => r.id);
  } finally {
    await c.query('COMMIT');
  }
}

/** Installed versions of the peer's packages (bench/compare/node_modules). */
function peerPackages(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['@langchain/community', '@langchain/core', '@langchain/openai', '@langchain/textsplitters', 'pg']) {
    const file = join(benchRoot, 'node_modules', name, 'package.json');
    out[name] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'not installed';
  }
  return out;
}
