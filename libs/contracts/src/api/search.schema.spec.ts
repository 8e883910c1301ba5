import { MetadataFilterSchema, SearchRequestSchema } from './search.schema';

function rejects(input: unknown): Array<{ path: string; message: string }> {
  const parsed = SearchRequestSchema.safeParse(input);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('SearchRequestSchema', () => {
  it('defaults top_k to 10 and mode to hybrid', () => {
    expect(SearchRequestSchema.parse({ query: 'how do I rotate keys?' })).toEqual({
      query: 'how do I rotate keys?',
      top_k: 10,
      mode: 'hybrid',
    });
  });

  it('keeps explicit top_k, mode, namespace and filter', () => {
    const req = {
      query: 'q',
      top_k: 100,
      mode: 'keyword',
      namespace: 'kb',
      filter: { lang: 'en', year: 2024, draft: false, tag: ['a', 'b'] },
    };
    expect(SearchRequestSchema.parse(req)).toEqual(req);
    expect(SearchRequestSchema.parse({ query: 'q', top_k: 1, mode: 'vector' })).toMatchObject({ top_k: 1, mode: 'vector' });
  });

  it.each([
    [0, 'top_k must be between 1 and 100'],
    [101, 'top_k must be between 1 and 100'],
    [1.5, 'top_k must be an integer'],
    [-3, 'top_k must be between 1 and 100'],
  ])('rejects top_k %p', (topK, message) => {
    expect(rejects({ query: 'q', top_k: topK })).toEqual([{ path: 'top_k', message }]);
  });

  it('does not coerce a string top_k (bodies are JSON)', () => {
    expect(rejects({ query: 'q', top_k: '5' })[0]?.path).toBe('top_k');
  });

  it('rejects an unknown mode, unknown fields, and empty, whitespace, NUL or over-long queries', () => {
    expect(rejects({ query: 'q', mode: 'semantic' })[0]?.path).toBe('mode');
    expect(rejects({ query: 'q', topK: 5 })[0]?.path).toBe('');
    expect(rejects({ query: '' })).toEqual([{ path: 'query', message: 'query must contain at least one non-whitespace character' }]);
    expect(rejects({ query: ' \t ' })[0]?.message).toBe('query must contain at least one non-whitespace character');
    expect(rejects({ query: 'a\u0000' })[0]?.message).toBe('query must not contain NUL (\\u0000) characters');
    expect(rejects({ query: 'q'.repeat(4097) })[0]?.message).toBe('query must be at most 4096 characters');
    expect(SearchRequestSchema.safeParse({ query: 'q'.repeat(4096) }).success).toBe(true);
    expect(rejects({})[0]?.path).toBe('query');
  });
});

describe('MetadataFilterSchema', () => {
  it('accepts scalars and non-empty arrays of scalars', () => {
    const f = { a: 'x', b: 1, c: true, d: ['x', 2, false] };
    expect(MetadataFilterSchema.parse(f)).toEqual(f);
  });

  it('rejects empty arrays, arrays over 100 values, nested objects, null and nested arrays', () => {
    expect(MetadataFilterSchema.safeParse({ a: [] }).success).toBe(false);
    expect(MetadataFilterSchema.safeParse({ a: Array.from({ length: 101 }, (_, i) => i) }).success).toBe(false);
    expect(MetadataFilterSchema.safeParse({ a: Array.from({ length: 100 }, (_, i) => i) }).success).toBe(true);
    expect(MetadataFilterSchema.safeParse({ a: { b: 1 } }).success).toBe(false);
    expect(MetadataFilterSchema.safeParse({ a: null }).success).toBe(false);
    expect(MetadataFilterSchema.safeParse({ a: [['x']] }).success).toBe(false);
  });

  it('allows at most 20 keys and no empty key', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(MetadataFilterSchema.safeParse(keys(20)).success).toBe(true);
    const tooMany = MetadataFilterSchema.safeParse(keys(21));
    expect(tooMany.error?.issues[0]?.message).toBe('filter may name at most 20 metadata keys');
    expect(MetadataFilterSchema.safeParse({ '': 'x' }).success).toBe(false);
  });

  it('reports a bad filter under the filter path of a search request', () => {
    expect(rejects({ query: 'q', filter: { a: [] } })[0]?.path).toMatch(/^filter\.a/);
  });
});
