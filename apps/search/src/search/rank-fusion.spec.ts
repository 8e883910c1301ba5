import { rankCandidates, RRF_K } from './rank-fusion';

const rrf = (...ranks: number[]) => ranks.reduce((sum, r) => sum + 1 / (RRF_K + r), 0);

describe('rankCandidates', () => {
  it('uses k = 60', () => {
    expect(RRF_K).toBe(60);
  });

  it('vector: score is 1 - cosine distance, best first', () => {
    const out = rankCandidates('vector', [{ id: 'far', value: 0.9 }, { id: 'near', value: 0.1 }, { id: 'mid', value: 0.5 }], [{ id: 'kw', value: 9 }]);
    expect(out.map((s) => s.id)).toEqual(['near', 'mid', 'far']);
    expect(out[0]!.score).toBeCloseTo(0.9, 12);
    expect(out[1]!.score).toBeCloseTo(0.5, 12);
    expect(out[2]!.score).toBeCloseTo(0.1, 12);
  });

  it('vector: opposite vectors (distance 2) score -1', () => {
    expect(rankCandidates('vector', [{ id: 'opp', value: 2 }], [])).toEqual([{ id: 'opp', score: -1 }]);
  });

  it('keyword: passes ts_rank_cd through, highest first, ignoring the vector list', () => {
    const out = rankCandidates('keyword', [{ id: 'v', value: 0 }], [{ id: 'b', value: 0.2 }, { id: 'a', value: 0.7 }]);
    expect(out).toEqual([{ id: 'a', score: 0.7 }, { id: 'b', score: 0.2 }]);
  });

  it('hybrid: sums 1/(k + rank) over both lists, so an id in both outranks ids in one', () => {
    const vector = [{ id: 'v1', value: 0.01 }, { id: 'both', value: 0.2 }, { id: 'v3', value: 0.3 }];
    const keyword = [{ id: 'k1', value: 0.9 }, { id: 'k2', value: 0.5 }, { id: 'both', value: 0.1 }];
    const out = rankCandidates('hybrid', vector, keyword);
    expect(out[0]).toEqual({ id: 'both', score: rrf(2, 3) });
    expect(out.map((s) => s.id)).toEqual(['both', 'k1', 'v1', 'k2', 'v3']);
    expect(out.find((s) => s.id === 'v1')!.score).toBe(rrf(1));
    expect(out.find((s) => s.id === 'k2')!.score).toBe(rrf(2));
    expect(out).toHaveLength(5);
  });

  it('hybrid: uses ranks, not the raw values', () => {
    const a = rankCandidates('hybrid', [{ id: 'x', value: 0.001 }, { id: 'y', value: 0.9 }], []);
    const b = rankCandidates('hybrid', [{ id: 'x', value: 0.5 }, { id: 'y', value: 0.51 }], []);
    expect(a).toEqual(b);
    expect(a).toEqual([{ id: 'x', score: rrf(1) }, { id: 'y', score: rrf(2) }]);
  });

  it('hybrid: with one list empty it keeps that list order', () => {
    const out = rankCandidates('hybrid', [], [{ id: 'z', value: 1 }, { id: 'a', value: 0.5 }]);
    expect(out.map((s) => s.id)).toEqual(['z', 'a']);
  });

  it('breaks ties by id so the order is stable regardless of input order', () => {
    // Same rank in the two lists: equal fused scores.
    const out = rankCandidates('hybrid', [{ id: 'b', value: 0.1 }], [{ id: 'a', value: 0.1 }]);
    expect(out).toEqual([{ id: 'a', score: rrf(1) }, { id: 'b', score: rrf(1) }]);
    const swapped = rankCandidates('hybrid', [{ id: 'a', value: 0.1 }], [{ id: 'b', value: 0.1 }]);
    expect(swapped).toEqual(out);

    const ties = [{ id: 'c', value: 0.3 }, { id: 'a', value: 0.3 }, { id: 'b', value: 0.3 }];
    expect(rankCandidates('vector', ties, []).map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(rankCandidates('keyword', [], [...ties].reverse()).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('returns nothing for empty input', () => {
    expect(rankCandidates('hybrid', [], [])).toEqual([]);
    expect(rankCandidates('vector', [], [])).toEqual([]);
  });

  it('does not reorder its input arrays', () => {
    const vector = [{ id: 'b', value: 0.9 }, { id: 'a', value: 0.1 }];
    rankCandidates('vector', vector, []);
    expect(vector.map((r) => r.id)).toEqual(['b', 'a']);
  });
});
