import { SearchMode } from '@datafactory/contracts';

export interface Ranked {
  id: string;
  /** vector: cosine distance (lower is better); keyword: rank (higher is better). */
  value: number;
}

export interface Scored {
  id: string;
  score: number;
}

/** The usual constant of reciprocal rank fusion (Cormack et al., 2009): damps the head of each list. */
export const RRF_K = 60;

/**
 * Orders candidates for a mode. vector: cosine similarity; keyword: ts_rank_cd; hybrid: the sum of
 * 1 / (RRF_K + rank) over the lists a chunk appears in. Ties break on id, so results are stable.
 */
export function rankCandidates(mode: SearchMode, vector: Ranked[], keyword: Ranked[]): Scored[] {
  let scored: Scored[];
  if (mode === 'vector') scored = vector.map((r) => ({ id: r.id, score: 1 - r.value }));
  else if (mode === 'keyword') scored = keyword.map((r) => ({ id: r.id, score: r.value }));
  else {
    const fused = new Map<string, number>();
    const add = (list: Ranked[]) => list.forEach((r, i) => fused.set(r.id, (fused.get(r.id) ?? 0) + 1 / (RRF_K + i + 1)));
    add(vector);
    add(keyword);
    scored = [...fused.entries()].map(([id, score]) => ({ id, score }));
  }
  return scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
