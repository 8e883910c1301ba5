import { call, createTenant, expectError, TenantKeys } from './support/api';

interface SearchBody {
  results: Array<{ doc_id: string; chunk_id: string; score: number; text: string; metadata: Record<string, unknown> }>;
  total_found: number;
  took_ms: number;
  embedding_version: string;
}

const corpus = [
  {
    doc_id: 'cats',
    text: 'Cats purr when they are content. A cat sleeps most of the day.',
    metadata: { animal: 'cat', year: 2021, tags: ['pets'] },
  },
  { doc_id: 'dogs', text: 'Dogs bark at strangers and love long walks in the park.', metadata: { animal: 'dog', year: 2022 } },
  { doc_id: 'owls', text: 'Owls hunt at night; their feathers make their flight silent.', metadata: { animal: 'owl', year: 2021 } },
  {
    doc_id: 'pgvector',
    text: 'pgvector adds vector similarity search to Postgres with HNSW indexes.',
    metadata: { topic: 'db', year: 2023 },
  },
];

describe('search', () => {
  let t: TenantKeys;

  beforeAll(async () => {
    t = await createTenant();
    for (const doc of corpus) {
      const res = await call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'zoo', ...doc } });
      expect(res.status).toBe(200);
    }
  });

  const search = (body: Record<string, unknown>) =>
    call<SearchBody>('POST', '/v1/search', { token: t.reader, body: { namespace: 'zoo', ...body } });

  it.each(['hybrid', 'vector', 'keyword'])('%s mode finds the matching document first with the response contract', async (mode) => {
    const res = await search({ query: 'cats purr', mode, top_k: 3 });
    expect(res.status).toBe(200);
    expect(res.body.embedding_version).toBe('hash:fh-v1:384');
    expect(typeof res.body.took_ms).toBe('number');
    expect(res.body.results.length).toBeGreaterThan(0);
    expect(res.body.results.length).toBeLessThanOrEqual(3);
    expect(res.body.total_found).toBeGreaterThanOrEqual(res.body.results.length);
    expect(res.body.results[0]).toEqual({
      doc_id: 'cats',
      chunk_id: expect.any(String),
      score: expect.any(Number),
      text: corpus[0]!.text,
      metadata: corpus[0]!.metadata,
    });
    const scores = res.body.results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('keyword mode only returns full-text matches; vector mode ranks everything by similarity', async () => {
    const kw = await search({ query: 'silent feathers', mode: 'keyword', top_k: 10 });
    expect(kw.body.results.map((r) => r.doc_id)).toEqual(['owls']);
    const vec = await search({ query: 'silent feathers', mode: 'vector', top_k: 10 });
    expect(vec.body.results).toHaveLength(corpus.length);
    expect(vec.body.results[0]!.doc_id).toBe('owls');
  });

  it('hybrid fuses both lists with reciprocal rank fusion scores', async () => {
    const res = await search({ query: 'night owls hunting', mode: 'hybrid', top_k: 4 });
    expect(res.body.results[0]!.doc_id).toBe('owls');
    // RRF: a chunk first in both lists scores 2/(60+1).
    expect(res.body.results[0]!.score).toBeCloseTo(2 / 61, 6);
  });

  it('filters on metadata equality, arrays as any-of, and combinations', async () => {
    const byYear = await search({ query: 'animals', mode: 'vector', top_k: 10, filter: { year: 2021 } });
    expect(byYear.body.results.map((r) => r.doc_id).sort()).toEqual(['cats', 'owls']);
    const anyOf = await search({ query: 'animals', mode: 'vector', top_k: 10, filter: { animal: ['dog', 'owl'] } });
    expect(anyOf.body.results.map((r) => r.doc_id).sort()).toEqual(['dogs', 'owls']);
    const both = await search({ query: 'animals', mode: 'hybrid', top_k: 10, filter: { year: 2021, animal: 'cat' } });
    expect(both.body.results.map((r) => r.doc_id)).toEqual(['cats']);
    const none = await search({ query: 'animals', mode: 'hybrid', top_k: 10, filter: { animal: 'unicorn' } });
    expect(none.body).toMatchObject({ results: [], total_found: 0 });
  });

  it('a selective filter over many documents returns every hit that exists', async () => {
    const docs = Array.from({ length: 120 }, (_, i) => ({
      doc_id: `bulk-${i}`,
      text: `Bulk document ${i} about ${i % 2 ? 'astronomy and telescopes' : 'gardening and tomatoes'}.`,
      metadata: { rare: i % 40 === 7 },
    }));
    for (let i = 0; i < docs.length; i += 12) {
      await Promise.all(
        docs.slice(i, i + 12).map((d) => call('POST', '/v1/docs/upsert', { token: t.writer, body: { namespace: 'filtered', ...d } })),
      );
    }
    const expected = docs
      .filter((d) => d.metadata.rare)
      .map((d) => d.doc_id)
      .sort();
    expect(expected).toHaveLength(3);
    for (const mode of ['vector', 'hybrid']) {
      const res = await call<SearchBody>('POST', '/v1/search', {
        token: t.reader,
        body: { namespace: 'filtered', query: 'astronomy telescopes', mode, top_k: 10, filter: { rare: true } },
      });
      expect(res.body.results.map((r) => r.doc_id).sort()).toEqual(expected);
    }
  });

  it('scopes by namespace', async () => {
    await call('POST', '/v1/docs/upsert', {
      token: t.writer,
      body: { namespace: 'elsewhere', doc_id: 'cats', text: 'A different cats document.' },
    });
    const res = await call<SearchBody>('POST', '/v1/search', {
      token: t.reader,
      body: { namespace: 'elsewhere', query: 'cats purr', top_k: 10 },
    });
    expect(res.body.results.map((r) => r.text)).toEqual(['A different cats document.']);
    const empty = await call<SearchBody>('POST', '/v1/search', { token: t.reader, body: { namespace: 'nothing-here', query: 'cats' } });
    expect(empty.body).toMatchObject({ results: [], total_found: 0 });
  });

  it('honours top_k bounds and rejects out-of-range values', async () => {
    expect((await search({ query: 'animals', mode: 'vector', top_k: 1 })).body.results).toHaveLength(1);
    expect((await search({ query: 'animals', mode: 'vector', top_k: 100 })).status).toBe(200);
    expectError(await search({ query: 'animals', top_k: 0 }), 400, 'invalid_request');
    expectError(await search({ query: 'animals', top_k: 101 }), 400, 'invalid_request');
    expectError(await search({ query: 'animals', top_k: 2.5 }), 400, 'invalid_request');
    expectError(await search({ query: 'animals', top_k: '10' }), 400, 'invalid_request');
    expectError(await search({ query: 'animals', mode: 'semantic' }), 400, 'invalid_request');
    expectError(await search({ query: '   ' }), 400, 'invalid_request');
    expectError(await search({ query: 'x', filter: { a: { $gt: 1 } } }), 400, 'invalid_request');
    expectError(await search({ query: 'x', filter: 'year=2021' }), 400, 'invalid_request');
  });
});
