/**
 * The goals of the performance issue, as ratios of one run (ours / peer) with a pass/fail column.
 * Reported, never asserted: the bench exits 0 whatever they say.
 */
import type { DataFactoryResult } from '../datafactory/datafactory-run';
import type { QualityBySplit } from '../measure/quality';
import type { PeerResult } from '../peer/langchain-peer';
import { GoalRow } from './results';

const f = (value: number | null | undefined, digits = 1, unit = ''): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(digits)}${unit}`;
const ratioOf = (ours: number | null | undefined, peer: number | null | undefined): number | null =>
  ours === null || ours === undefined || peer === null || peer === undefined || peer === 0 ? null : ours / peer;
const atMost = (ratio: number | null, limit: number): boolean | null => (ratio === null ? null : ratio <= limit);

export interface Baseline {
  source: string;
  quality: Record<string, QualityBySplit>;
}

export function evaluateGoals(df: DataFactoryResult | null, peer: PeerResult | null, baseline: Baseline | null): GoalRow[] {
  const rows: GoalRow[] = [];
  const tts = ratioOf(df?.ingest.time_to_searchable_s, peer?.time_to_searchable_s);
  rows.push({
    id: '1',
    goal: 'time to searchable (all jobs completed, ANN index valid)',
    target: '≤ 0.5× peer ingest + HNSW build',
    datafactory: f(df?.ingest.time_to_searchable_s, 1, ' s'),
    peer: f(peer?.time_to_searchable_s, 1, ' s'),
    ratio: tts,
    pass: df && !df.ingest.index_valid ? false : atMost(tts, 0.5),
    ...(df && !df.ingest.index_valid ? { note: 'index not valid after ingest' } : {}),
  });
  const latencyGoal = (id: string, goal: string, mode: 'hybrid' | 'vector', pct: 'p50' | 'p99', limit: number): GoalRow => {
    const ours = df?.latency[mode].ms?.[pct];
    const theirs = peer?.latency.ms?.[pct];
    const ratio = ratioOf(ours, theirs);
    return {
      id,
      goal,
      target: `≤ ${limit}× peer similaritySearch ${pct}`,
      datafactory: f(ours, 1, ' ms'),
      peer: f(theirs, 1, ' ms'),
      ratio,
      pass: atMost(ratio, limit),
    };
  };
  rows.push(latencyGoal('2a', 'hybrid search p50 (gateway)', 'hybrid', 'p50', 1.5));
  rows.push(latencyGoal('2b', 'hybrid search p99 (gateway)', 'hybrid', 'p99', 2));
  rows.push(latencyGoal('2c', 'vector search p50 (gateway)', 'vector', 'p50', 1.2));
  const qps = df?.throughput.hybrid?.searches_per_s;
  const qpsRatio = ratioOf(qps, peer?.throughput.searches_per_s);
  rows.push({
    id: '3a',
    goal: `hybrid searches/s at ${df?.throughput.hybrid?.concurrency ?? peer?.throughput.concurrency ?? 16} clients`,
    target: '≥ 1× peer',
    datafactory: f(qps, 1, '/s'),
    peer: f(peer?.throughput.searches_per_s, 1, '/s'),
    ratio: qpsRatio,
    pass: qpsRatio === null ? null : qpsRatio >= 1,
  });
  const maxLoss = df?.tenants ? Math.max(...df.tenants.loss) : null;
  rows.push({
    id: '3b',
    goal: 'batch ingest, two tenants at once: loss per tenant vs alone',
    target: '≤ 20 %',
    datafactory: df?.tenants ? df.tenants.loss.map((l) => f(l * 100, 0, ' %')).join(', ') : '–',
    peer: 'n/a',
    ratio: null,
    pass: maxLoss === null ? null : maxLoss <= 0.2,
  });
  const recall = df?.recall_vs_exact.recall_at_10;
  rows.push({
    id: '4a',
    goal: 'recall@10 of vector mode vs exact search',
    target: '≥ 0.98',
    datafactory: f(recall, 3),
    peer: f(peer?.recall_vs_exact, 3),
    ratio: null,
    pass: recall === null || recall === undefined ? null : recall >= 0.98,
  });
  rows.push(qualityGoal(df, peer, baseline));
  const filtered = df?.filtered ?? [];
  rows.push({
    id: '4c',
    goal: 'filtered search at ~1 % selectivity returns k rows',
    target: 'every search',
    datafactory: filtered.length === 0 ? '–' : filtered.map((r) => `${r.mode} ${r.returned_k}/${r.queries}`).join(', '),
    peer: 'n/a',
    ratio: null,
    pass: filtered.length === 0 ? null : filtered.every((r) => r.returned_k === r.queries),
  });
  const re = df?.reingest;
  rows.push({
    id: '5',
    goal: 'unchanged re-ingest: embedding calls, docs/s',
    target: '0 calls, ≥ 2000 docs/s',
    datafactory: re ? `${re.embedding_requests} calls, ${f(re.docs_per_s, 0, ' docs/s')}` : '–',
    peer: 'n/a',
    ratio: null,
    pass: re ? re.embedding_requests === 0 && re.docs_per_s >= 2000 && re.counts.unchanged === re.documents : null,
  });
  const rssMb = df ? Object.values(df.rss_kb).reduce((sum, m) => sum + (m.rss ?? 0), 0) / 1024 : null;
  rows.push({
    id: '6a',
    goal: 'cost reported: RSS of the services, Postgres bytes per 100k chunks',
    target: 'reported',
    datafactory: df ? `${f(rssMb, 0, ' MB')} RSS, ${f((df.storage?.bytes_per_100k ?? Number.NaN) / 2 ** 20, 0, ' MB')}/100k chunks` : '–',
    peer: peer ? `${f((peer.storage.bytes_per_100k ?? Number.NaN) / 2 ** 20, 0, ' MB')}/100k chunks` : '–',
    ratio: ratioOf(df?.storage?.bytes_per_100k, peer?.storage.bytes_per_100k),
    pass: df ? df.storage !== null && Object.values(df.rss_kb).every((m) => m.rss !== null) : null,
  });
  const scale = df?.scale ?? [];
  const first = scale[0];
  const last = scale[scale.length - 1];
  const growth = first && last && scale.length > 1 ? ratioOf(last.hybrid_p50_ms, first.hybrid_p50_ms) : null;
  rows.push({
    id: '6b',
    goal: 'scale curve: hybrid p50 at the largest point vs the smallest',
    target: '≤ 2× (300k vs 10k chunks)',
    datafactory:
      first && last && scale.length > 1
        ? `${f(first.hybrid_p50_ms)} ms @ ${first.chunks} → ${f(last.hybrid_p50_ms)} ms @ ${last.chunks}`
        : 'not run (--scale)',
    peer: 'n/a',
    ratio: growth,
    pass: atMost(growth, 2),
  });
  return rows;
}

/** Goal 4b: recall@10 and MRR@10 per mode not below "today's" (a baseline results file). */
function qualityGoal(df: DataFactoryResult | null, peer: PeerResult | null, baseline: Baseline | null): GoalRow {
  const row: GoalRow = {
    id: '4b',
    goal: 'labelled set recall@10 / MRR@10 (all queries), per mode',
    target: baseline ? `≥ baseline (${baseline.source})` : '≥ today’s (pass --baseline)',
    datafactory: df
      ? (['hybrid', 'vector', 'keyword'] as const)
          .map((m) => `${m} ${f(df.quality[m].all.recall_at_10, 3)} / ${f(df.quality[m].all.mrr_at_10, 3)}`)
          .join('; ')
      : '–',
    peer: peer ? `${f(peer.quality.all.recall_at_10, 3)} / ${f(peer.quality.all.mrr_at_10, 3)}` : '–',
    ratio: ratioOf(df?.quality.vector.all.recall_at_10, peer?.quality.all.recall_at_10),
    pass: null,
    note: 'ratio: vector-mode recall@10 / peer recall@10',
  };
  if (df && baseline) {
    row.pass = (['hybrid', 'vector', 'keyword'] as const).every((m) => {
      const before = baseline.quality[m]?.all;
      return !before || (df.quality[m].all.recall_at_10 >= before.recall_at_10 && df.quality[m].all.mrr_at_10 >= before.mrr_at_10);
    });
  }
  return row;
}
