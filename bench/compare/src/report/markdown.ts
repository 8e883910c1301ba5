import type { DataFactoryResult } from '../datafactory/datafactory-run';
import type { LatencyResult } from '../measure/latency';
import type { QualityBySplit } from '../measure/quality';
import type { PeerResult } from '../peer/langchain-peer';
import { CompareResults, isOk } from './results';

const f = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
const mb = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(0)} MB`;
const pcts = (l: LatencyResult | undefined): string => (l?.ms ? `${f(l.ms.p50)} / ${f(l.ms.p95)} / ${f(l.ms.p99)} ms` : '–');
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

export function renderMarkdown(r: CompareResults): string {
  const peer = isOk(r.peer) ? r.peer : null;
  const df = isOk(r.datafactory) ? r.datafactory : null;
  const out: string[] = [];
  out.push(`# bench:compare: LangChain.js PGVectorStore vs DataFactory`, '');
  out.push(
    `${r.started_at} · commit ${r.git_commit ?? '?'} · ${r.machine.cpus} × ${r.machine.cpu_model}, ${r.machine.memory_gb} GB · ` +
      `Node ${r.machine.node} · PostgreSQL ${r.machine.postgres}, pgvector ${r.machine.pgvector ?? '?'}${r.options.smoke ? ' · **smoke run**' : ''}`,
    '',
  );
  const c = r.corpus;
  out.push(
    `Corpus: ${c.documents} documents, ${(c.bytes / 2 ** 20).toFixed(1)} MB (mean ${(c.mean_bytes / 1024).toFixed(1)} KB): ` +
      `${c.by_source['npm-docs']} package docs, ${c.by_source['npm-types']} type declarations, ${c.by_source.debian} Debian descriptions; ` +
      `labelled set ${c.labelled.dev} dev + ${c.labelled.holdout} holdout queries. Fingerprint \`${c.fingerprint.slice(0, 12)}\`.`,
    `Embeddings: ${r.embedding_server.embedder}, ${r.embedding_server.dimensions} dimensions, one server for both systems.` +
      (peer
        ? ` Peer: ${Object.entries(peer.packages)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}.`
        : ''),
    '',
  );
  if (!isOk(r.peer) && r.peer) out.push(`**Peer failed:** ${r.peer.error}`, '');
  if (!isOk(r.datafactory) && r.datafactory) out.push(`**DataFactory failed:** ${r.datafactory.error}`, '');

  out.push('## Side by side', '');
  out.push(table(['', 'LangChain.js + pgvector', 'DataFactory', 'ratio (ours / peer)'], sideBySide(peer, df)), '');

  out.push('## Goals (reported, not asserted)', '');
  out.push(
    table(
      ['#', 'goal', 'target', 'DataFactory', 'LangChain.js', 'ratio', 'pass'],
      r.goals.map((g) => [
        g.id,
        g.goal + (g.note ? ` (${g.note})` : ''),
        g.target,
        g.datafactory,
        g.peer,
        g.ratio === null ? '–' : `${f(g.ratio, 2)}×`,
        g.pass === null ? '–' : g.pass ? 'pass' : '**fail**',
      ]),
    ),
    '',
  );

  out.push('## Retrieval quality on the labelled set', '');
  out.push('A hit is the labelled document among the first 10 distinct documents of a top-50 search.', '');
  const q = (name: string, s: QualityBySplit): string[] => [
    name,
    ...(['dev', 'holdout', 'all'] as const).flatMap((k) => [f(s[k].recall_at_10, 3), f(s[k].mrr_at_10, 3)]),
  ];
  const qualityRows: string[][] = [];
  if (peer) qualityRows.push(q('LangChain.js similaritySearch', peer.quality));
  if (df) for (const mode of ['hybrid', 'vector', 'keyword'] as const) qualityRows.push(q(`DataFactory ${mode}`, df.quality[mode]));
  out.push(
    table(['', 'dev recall@10', 'dev MRR@10', 'holdout recall@10', 'holdout MRR@10', 'all recall@10', 'all MRR@10'], qualityRows),
    '',
  );

  if (df) {
    out.push('## DataFactory details', '');
    out.push(
      table(
        ['measure', 'value'],
        [
          [
            'batches (time to searchable)',
            `${df.ingest.batches} × ≤ ${r.options.batchSize} docs, submitted in ${f(df.ingest.submit_s)} s; server span ${f(df.ingest.server_span_s)} s`,
          ],
          [
            'embedding requests during ingest',
            `${df.ingest.embedding_requests} for ${df.ingest.embedding_texts} texts (${df.ingest.chunks} chunks)`,
          ],
          [
            'jobs',
            Object.entries(df.ingest.statuses)
              .map(([s, n]) => `${n} ${s}`)
              .join(', ') + `; ${df.ingest.counts.failed} documents failed`,
          ],
          [
            'empty results (latency runs, warm-up included)',
            (['hybrid', 'vector', 'keyword'] as const).map((m) => `${m} ${df.latency[m].empty}`).join(', '),
          ],
          [
            'filtered search, ~1 %',
            df.filtered
              .map(
                (x) =>
                  `${x.mode}: ${x.returned_k}/${x.queries} returned k (selectivity ${f(x.selectivity * 100, 2)} %)${x.short.length ? `, short: ${x.short.join(', ')}` : ''}`,
              )
              .join('; '),
          ],
          ['recall@10 vs exact', `${f(df.recall_vs_exact.recall_at_10, 3)} over ${df.recall_vs_exact.queries} vector queries`],
          [
            're-ingest (unchanged)',
            `${f(df.reingest.docs_per_s, 0)} docs/s, ${df.reingest.embedding_requests} embedding requests, ${df.reingest.counts.unchanged}/${df.reingest.documents} unchanged`,
          ],
          [
            'two tenants',
            df.tenants
              ? `${df.tenants.documents_per_tenant} docs each: alone ${f(df.tenants.alone_docs_per_s)} docs/s, together ${df.tenants.concurrent_docs_per_s.map((x) => f(x)).join(' + ')} docs/s`
              : 'not run',
          ],
          [
            'RSS (now / peak)',
            Object.entries(df.rss_kb)
              .map(([svc, m]) => `${svc} ${f((m.rss ?? Number.NaN) / 1024, 0)}/${f((m.peak ?? Number.NaN) / 1024, 0)} MB`)
              .join(', '),
          ],
          [
            'chunks table + indexes',
            df.storage
              ? `${mb(df.storage.bytes)} for ${df.storage.rows} chunks (all tenants): ${mb(df.storage.bytes_per_100k)} per 100k`
              : '–',
          ],
        ],
      ),
      '',
    );
    if (df.scale.length > 0) {
      out.push('## Scale curve (DataFactory)', '');
      out.push(
        'Copies of the corpus with new doc ids and a changed last line: most chunks are embedding-cache hits, so ingest rates are above a fresh corpus.',
        '',
      );
      out.push(
        table(
          ['chunks', 'documents', 'ingest docs/s', 'ingest chunks/s', 'hybrid p50 ms', 'vector p50 ms'],
          df.scale.map((p) => [
            String(p.chunks),
            String(p.documents),
            f(p.ingest_docs_per_s),
            f(p.ingest_chunks_per_s, 0),
            f(p.hybrid_p50_ms),
            f(p.vector_p50_ms),
          ]),
        ),
        '',
      );
    }
    if (df.errors.length > 0) out.push('## Errors', '', ...df.errors.slice(0, 50).map((e) => `- ${e}`), '');
  }
  if (peer) {
    out.push('## Peer details', '');
    out.push(
      `The planner ${peer.index_used ? 'uses' : 'does not use'} the HNSW index for similaritySearch's query ` +
        `(it ${peer.index_usable ? 'can' : '**cannot**'}: that is the plan with sequential scans off). No ANALYZE was run, as a new user would not:`,
      '',
      '```',
      peer.plan,
      '```',
      '',
    );
  }
  return out.join('\n');
}

function sideBySide(peer: PeerResult | null, df: DataFactoryResult | null): string[][] {
  const ratio = (ours: number | null | undefined, theirs: number | null | undefined, suffix = '×'): string =>
    ours === null || ours === undefined || theirs === null || theirs === undefined || theirs === 0
      ? '–'
      : `${f(ours / theirs, 2)}${suffix}`;
  return [
    [
      'ingest',
      peer ? `${f(peer.ingest_s)} s (${f(peer.docs_per_s)} docs/s)` : '–',
      df ? `${f(df.ingest.time_to_searchable_s)} s (${f(df.ingest.docs_per_s)} docs/s)` : '–',
      `${ratio(df?.ingest.docs_per_s, peer?.docs_per_s)} the throughput`,
    ],
    ['HNSW build', peer ? `${f(peer.index_build_s)} s` : '–', 'in bulk, by the last batch job (inside ingest)', '–'],
    [
      'time to searchable',
      peer ? `${f(peer.time_to_searchable_s)} s` : '–',
      df ? `${f(df.ingest.time_to_searchable_s)} s` : '–',
      ratio(df?.ingest.time_to_searchable_s, peer?.time_to_searchable_s),
    ],
    ['chunks', peer ? String(peer.chunks) : '–', df ? String(df.ingest.chunks) : '–', '–'],
    ['embedding requests (ingest)', peer ? String(peer.embedding_requests) : '–', df ? String(df.ingest.embedding_requests) : '–', '–'],
    [
      'search p50 / p95 / p99, default',
      peer ? `${pcts(peer.latency)} (in-process, vector)` : '–',
      df ? `${pcts(df.latency.hybrid)} (gateway, hybrid)` : '–',
      ratio(df?.latency.hybrid.ms?.p50, peer?.latency.ms?.p50, '× at p50'),
    ],
    [
      'search p50 / p95 / p99, vector',
      peer ? pcts(peer.latency) : '–',
      df ? pcts(df.latency.vector) : '–',
      ratio(df?.latency.vector.ms?.p50, peer?.latency.ms?.p50, '× at p50'),
    ],
    ['search p50 / p95 / p99, keyword', 'n/a', df ? pcts(df.latency.keyword) : '–', '–'],
    [
      `searches/s at ${peer?.throughput.concurrency ?? df?.throughput.hybrid?.concurrency ?? 16} clients`,
      peer ? f(peer.throughput.searches_per_s) : '–',
      df ? `hybrid ${f(df.throughput.hybrid?.searches_per_s)}, vector ${f(df.throughput.vector?.searches_per_s)}` : '–',
      ratio(df?.throughput.hybrid?.searches_per_s, peer?.throughput.searches_per_s),
    ],
    ['recall@10 vs exact (vector)', peer ? f(peer.recall_vs_exact, 3) : '–', df ? f(df.recall_vs_exact.recall_at_10, 3) : '–', '–'],
    [
      'Postgres bytes per 100k chunks',
      peer ? mb(peer.storage.bytes_per_100k) : '–',
      df ? mb(df.storage?.bytes_per_100k) : '–',
      ratio(df?.storage?.bytes_per_100k, peer?.storage.bytes_per_100k),
    ],
  ];
}
