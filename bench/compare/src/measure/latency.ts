import { performance } from 'node:perf_hooks';
import { runPool } from '../../../lib/api';
import { Summary, summarize } from '../../../lib/percentile';

export interface LatencyResult {
  /** Client-side milliseconds per search, errors excluded. */
  ms: Summary | null;
  errors: number;
}

export interface ThroughputResult {
  concurrency: number;
  searches: number;
  seconds: number;
  searches_per_s: number;
  errors: number;
}

/** A search returns false (or throws) when it failed. */
export type TimedSearch = (query: string) => Promise<boolean>;

/** One search at a time; the first `warmup` queries are run but not counted. */
export async function measureLatency(queries: readonly string[], warmup: number, search: TimedSearch): Promise<LatencyResult> {
  const samples: number[] = [];
  let errors = 0;
  for (const [i, query] of queries.entries()) {
    const started = performance.now();
    const ok = await search(query).catch(() => false);
    const ms = performance.now() - started;
    if (i < warmup) continue;
    if (ok) samples.push(ms);
    else errors += 1;
  }
  return { ms: summarize(samples), errors };
}

/** `concurrency` clients searching back to back until the queries run out. */
export async function measureThroughput(queries: readonly string[], concurrency: number, search: TimedSearch): Promise<ThroughputResult> {
  let errors = 0;
  const started = performance.now();
  await runPool(queries, concurrency, async (query) => {
    const ok = await search(query).catch(() => false);
    if (!ok) errors += 1;
  });
  const seconds = (performance.now() - started) / 1000;
  return { concurrency, searches: queries.length, seconds, searches_per_s: queries.length / seconds, errors };
}
