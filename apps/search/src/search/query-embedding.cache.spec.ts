import { QueryEmbeddingCache } from './query-embedding.cache';

const T0 = 1_700_000_000_000;

describe('QueryEmbeddingCache', () => {
  it('returns what was set, until the TTL has passed', () => {
    const cache = new QueryEmbeddingCache(10, 1_000);
    cache.set('k', '[1,2]', T0);
    expect(cache.get('k', T0)).toBe('[1,2]');
    expect(cache.get('k', T0 + 1_000)).toBe('[1,2]');
    expect(cache.get('k', T0 + 1_001)).toBeUndefined();
    // An expired entry is dropped, not kept around.
    expect(cache.size).toBe(0);
    expect(cache.get('k', T0)).toBeUndefined();
  });

  it('measures the TTL from the last set, not from reads', () => {
    const cache = new QueryEmbeddingCache(10, 1_000);
    cache.set('k', 'v1', T0);
    expect(cache.get('k', T0 + 900)).toBe('v1');
    expect(cache.get('k', T0 + 1_100)).toBeUndefined();
    cache.set('k', 'v2', T0 + 1_200);
    expect(cache.get('k', T0 + 2_100)).toBe('v2');
  });

  it('defaults to a ten-minute TTL', () => {
    const cache = new QueryEmbeddingCache(10);
    cache.set('k', 'v', T0);
    expect(cache.get('k', T0 + 600_000)).toBe('v');
    expect(cache.get('k', T0 + 600_001)).toBeUndefined();
  });

  it('evicts the least recently used entry beyond capacity', () => {
    const cache = new QueryEmbeddingCache(3, 60_000);
    cache.set('a', 'A', T0);
    cache.set('b', 'B', T0);
    cache.set('c', 'C', T0);
    expect(cache.get('a', T0)).toBe('A'); // a is now the most recently used; b the least
    cache.set('d', 'D', T0);
    expect(cache.size).toBe(3);
    expect(cache.get('b', T0)).toBeUndefined();
    expect(cache.get('a', T0)).toBe('A');
    expect(cache.get('c', T0)).toBe('C');
    expect(cache.get('d', T0)).toBe('D');
  });

  it('refreshes recency and value when a key is set again', () => {
    const cache = new QueryEmbeddingCache(2, 60_000);
    cache.set('a', 'A1', T0);
    cache.set('b', 'B', T0);
    cache.set('a', 'A2', T0);
    cache.set('c', 'C', T0);
    expect(cache.get('b', T0)).toBeUndefined();
    expect(cache.get('a', T0)).toBe('A2');
    expect(cache.size).toBe(2);
  });

  it('stores nothing with capacity 0', () => {
    const cache = new QueryEmbeddingCache(0);
    cache.set('a', 'A', T0);
    expect(cache.size).toBe(0);
    expect(cache.get('a', T0)).toBeUndefined();
  });

  it('keys on embedding version and query, separated unambiguously', () => {
    const key = QueryEmbeddingCache.key('hash:v1:384', 'what is rag?');
    expect(key).toBe(QueryEmbeddingCache.key('hash:v1:384', 'what is rag?'));
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('rag');
    expect(key).not.toBe(QueryEmbeddingCache.key('hash:v2:384', 'what is rag?'));
    expect(key).not.toBe(QueryEmbeddingCache.key('hash:v1:384', 'what is rag'));
    expect(QueryEmbeddingCache.key('ab', 'c')).not.toBe(QueryEmbeddingCache.key('a', 'bc'));
  });
});
