import type { LabelledQuery, Split } from '../corpus/corpus';

export interface QualityScores {
  queries: number;
  recall_at_10: number;
  mrr_at_10: number;
}

export type QualityBySplit = Record<Split | 'all', QualityScores>;

/** Documents in first-seen order from a ranked list of chunks, at most `k`. */
export function distinctDocs(rankedDocIds: readonly string[], k = 10): string[] {
  const out: string[] = [];
  for (const id of rankedDocIds) {
    if (!out.includes(id)) out.push(id);
    if (out.length === k) break;
  }
  return out;
}

/**
 * recall@10 and MRR@10 over the labelled set, with one relevant document per query: a hit is that
 * document among the first 10 distinct documents of the results; a failed search counts as a miss.
 */
export function scoreLabelled(labelled: readonly LabelledQuery[], rankedDocs: readonly (readonly string[] | null)[]): QualityBySplit {
  const score = (split: Split | 'all'): QualityScores => {
    let n = 0;
    let hits = 0;
    let reciprocal = 0;
    labelled.forEach((q, i) => {
      if (split !== 'all' && q.split !== split) return;
      n += 1;
      const rank = distinctDocs(rankedDocs[i] ?? []).indexOf(q.docId);
      if (rank >= 0) {
        hits += 1;
        reciprocal += 1 / (rank + 1);
      }
    });
    return { queries: n, recall_at_10: n === 0 ? 0 : hits / n, mrr_at_10: n === 0 ? 0 : reciprocal / n };
  };
  return { dev: score('dev'), holdout: score('holdout'), all: score('all') };
}

/** |found ∩ exact| / |exact|, averaged over queries with a non-empty exact answer. */
export function meanRecall(found: readonly (readonly string[])[], exact: readonly (readonly string[])[]): number | null {
  let sum = 0;
  let n = 0;
  exact.forEach((truth, i) => {
    if (truth.length === 0) return;
    const got = new Set(found[i] ?? []);
    sum += truth.filter((id) => got.has(id)).length / truth.length;
    n += 1;
  });
  return n === 0 ? null : sum / n;
}
