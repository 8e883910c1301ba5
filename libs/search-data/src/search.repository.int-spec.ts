import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import { createDataSource, toVectorLiteral, VectorIndexCatalog } from '@datafactory/db';
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { MetadataFilter, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { DocumentsRepository, VectorIndexRepository } from '@datafactory/ingest-data';
import { ChunkScope, SearchRepository, SearchTuning, searchSql } from './search.repository';

/** This file's own embedding version (8 dimensions); its HNSW index is built in beforeAll. */
const VERSION = 'test:v:8';
const DIMS = 8;
const TUNING: SearchTuning = { efSearch: 100, maxScanTuples: 20_000 };

/** A candidate as the repository ranked it: value is the cosine distance (vector) or ts_rank_cd (keyword). */
interface RankedChunk {
  id: string;
  value: number;
  text: string;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const unit = (i: number): number[] => Array.from({ length: DIMS }, (_, k) => (k === i ? 1 : 0));
const vec = (...head: number[]): number[] => [...head, ...Array<number>(DIMS - head.length).fill(0)];

/** Cosine distance as pgvector computes it, on the float4-rounded values that were stored. */
function cosineDistance(a: number[], b: number[]): number {
  const stored = (v: number[]) => toVectorLiteral(v).slice(1, -1).split(',').map(Number);
  const [x, y] = [stored(a), stored(b)];
  const dot = x.reduce((s, v, i) => s + v * (y[i] as number), 0);
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, c) => s + c * c, 0));
  return 1 - dot / (norm(x) * norm(y));
}

/** Small deterministic PRNG, so the "random" vectors are the same on every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

interface ChunkSpec {
  text: string;
  vector: number[];
}

describe('SearchRepository (Postgres)', () => {
  let db: IntegrationDb;
  let ds: DataSource;
  let docs: DocumentsRepository;
  let search: SearchRepository;
  let tenantA: TenantId;
  let tenantB: TenantId;
  const vectorsByText = new Map<string, number[]>();

  /** Writes a document the way ingest does: through DocumentsRepository.write, embeddings as pgvector literals. */
  async function writeDoc(
    tenantId: TenantId,
    namespace: string,
    docId: string,
    chunks: ChunkSpec[],
    metadata: Record<string, unknown> = {},
  ): Promise<void> {
    chunks.forEach((c) => vectorsByText.set(c.text, c.vector));
    const text = chunks.map((c) => c.text).join('\n\n');
    const outcome = await docs.write(tenantId, {
      namespace,
      docId,
      title: null,
      text,
      metadata,
      subjectIds: [],
      docHash: sha(text),
      metaHash: sha(JSON.stringify(metadata)),
      embeddingVersion: VERSION,
      tokenCount: chunks.length * 5,
      chunks: chunks.map((c, ordinal) => ({ ordinal, text: c.text, hash: sha(c.text), tokenCount: 5 })),
      newEmbeddings: chunks.map((c) => ({ hash: sha(c.text), vector: toVectorLiteral(c.vector) })),
    });
    expect(outcome.status).toBe('created');
  }

  /** Vector mode: every candidate with its cosine distance (1 - score) and text, in rank order. */
  async function nearest(
    tenantId: TenantId,
    namespace: string,
    query: number[],
    limit: number,
    filter?: MetadataFilter,
    repo = search,
  ): Promise<RankedChunk[]> {
    const found = await repo.search(tenantId, {
      scope: { namespace, ...(filter ? { filter } : {}) },
      mode: 'vector',
      vector: { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(query) },
      text: '',
      candidates: limit,
      topK: limit,
      tuning: TUNING,
    });
    expect(found.totalFound).toBe(found.hits.length);
    return found.hits.map((h) => ({ id: h.id, value: 1 - h.score, text: h.text }));
  }

  /** Keyword mode: every candidate with its ts_rank_cd and text, in rank order. */
  async function keyword(tenantId: TenantId, scope: ChunkScope, query: string, limit: number): Promise<RankedChunk[]> {
    const found = await search.search(tenantId, {
      scope,
      mode: 'keyword',
      vector: null,
      text: query,
      candidates: limit,
      topK: limit,
      tuning: TUNING,
    });
    return found.hits.map((h) => ({ id: h.id, value: h.score, text: h.text }));
  }

  const texts = (ranked: RankedChunk[]): string[] => ranked.map((r) => r.text);

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'search', poolSize: 8, statementTimeoutMs: 15_000 });
    ds = db.ds;
    docs = new DocumentsRepository(ds);
    search = new SearchRepository(ds);
    tenantA = await db.tenant('search-int A');
    tenantB = await db.tenant('search-int B');

    // "order": hand-made vectors at known cosine distances from unit(0).
    await writeDoc(tenantA, 'order', 'alpha', [{ text: 'alpha points along the first axis', vector: unit(0) }]);
    await writeDoc(tenantA, 'order', 'epsilon', [{ text: 'epsilon leans towards the first axis', vector: vec(2, 1) }]);
    await writeDoc(tenantA, 'order', 'beta', [{ text: 'beta is at forty-five degrees', vector: vec(1, 1) }]);
    await writeDoc(tenantA, 'order', 'gamma', [{ text: 'gamma is orthogonal', vector: unit(1) }]);
    await writeDoc(tenantA, 'order', 'delta', [{ text: 'delta points the other way', vector: vec(-1) }]);
    // Tenant B has the best possible match in the same namespace; A must never see it.
    await writeDoc(tenantB, 'order', 'b-alpha', [{ text: 'tenant B exact match; cats purr here too', vector: unit(0) }]);

    // "filter": 300 untagged chunks and 5 tagged ones.
    const rnd = lcg(42);
    const randomVector = () => Array.from({ length: DIMS }, () => rnd() * 2 - 1);
    const writes: Array<Promise<void>> = [];
    for (let d = 0; d < 60; d++) {
      const chunks = Array.from({ length: 5 }, (_, c) => ({ text: `filler document ${d} chunk ${c}`, vector: randomVector() }));
      writes.push(writeDoc(tenantA, 'filter', `filler-${d}`, chunks, { tag: 'common', group: d % 3 }));
    }
    for (let t = 0; t < 5; t++) {
      writes.push(
        writeDoc(tenantA, 'filter', `rare-${t}`, [{ text: `rare tagged chunk ${t}`, vector: randomVector() }], {
          tag: 'rare',
          group: t % 3,
        }),
      );
    }
    await Promise.all(writes);

    // "kw": full-text search.
    await writeDoc(tenantA, 'kw', 'k1', [{ text: 'Cats often purr when they are content.', vector: unit(2) }], { src: 'a' });
    await writeDoc(tenantA, 'kw', 'k2', [{ text: 'Dogs bark at the mailman every morning.', vector: unit(3) }], { src: 'a' });
    await writeDoc(tenantA, 'kw', 'k3', [{ text: 'A cat will purr, and purring cats purr more.', vector: unit(4) }], { src: 'b' });
    await writeDoc(tenantA, 'kw', 'k4', [{ text: 'The engine was purring smoothly.', vector: unit(5) }], { src: 'b' });
    await writeDoc(tenantA, 'kw', 'k5', [{ text: 'Cats are independent animals.', vector: unit(6) }], { src: 'a' });
    await writeDoc(tenantB, 'kw', 'kb', [{ text: 'My cats purr all day long.', vector: unit(2) }], { src: 'a' });

    // Every scope gets its own index, however small, so these tests go through HNSW (exact search has its own).
    const indexes = new VectorIndexRepository(ds);
    const build = { minChunks: 1, m: 16, efConstruction: 64, buildMemory: '64MB' };
    for (const [tenantId, namespace] of [
      [tenantA, 'order'],
      [tenantA, 'filter'],
      [tenantA, 'kw'],
      [tenantB, 'order'],
      [tenantB, 'kw'],
    ] as const) {
      await indexes.ensure({ tenantId, namespace, embeddingVersion: VERSION, dimensions: DIMS }, build);
    }
  });

  afterAll(async () => {
    await db?.close();
  });

  describe('nearest', () => {
    it('orders by cosine distance and reports the distance', async () => {
      const ranked = await nearest(tenantA, 'order', unit(0), 10);
      const found = texts(ranked);
      expect(found).toEqual([
        'alpha points along the first axis',
        'epsilon leans towards the first axis',
        'beta is at forty-five degrees',
        'gamma is orthogonal',
        'delta points the other way',
      ]);
      const expected = [0, 1 - 2 / Math.sqrt(5), 1 - 1 / Math.SQRT2, 1, 2];
      ranked.forEach((r, i) => expect(r.value).toBeCloseTo(expected[i] as number, 5));
    });

    it('returns the nearest ones first when the limit is smaller than the namespace', async () => {
      const found = texts(await nearest(tenantA, 'order', vec(-1, 0.1), 2));
      expect(found).toEqual(['delta points the other way', 'gamma is orthogonal']);
    });

    it('returns every match of a selective filter (5 of 305) with limit 10, in distance order', async () => {
      const query = vec(0.3, -0.2, 0.9, 0.1, -0.5, 0.4, 0.2, -0.7);
      const ranked = await nearest(tenantA, 'filter', query, 10, { tag: 'rare' });
      const found = texts(ranked);
      expect(ranked).toHaveLength(5);
      const byDistance = [0, 1, 2, 3, 4]
        .map((t) => `rare tagged chunk ${t}`)
        .sort((a, b) => cosineDistance(vectorsByText.get(a)!, query) - cosineDistance(vectorsByText.get(b)!, query));
      expect(found).toEqual(byDistance);
      ranked.forEach((r, i) => expect(r.value).toBeCloseTo(cosineDistance(vectorsByText.get(found[i]!)!, query), 5));
    });

    it('through the HNSW index, iterative scanning still finds filtered rows far beyond ef_search', async () => {
      const query = vec(0.3, -0.2, 0.9, 0.1, -0.5, 0.4, 0.2, -0.7);
      const tiny: SearchTuning = { efSearch: 10, maxScanTuples: 20_000 };
      const q = {
        scope: { namespace: 'filter', filter: { tag: 'rare' } },
        mode: 'vector' as const,
        vector: { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(query) },
        text: '',
        candidates: 3,
        topK: 3,
        tuning: tiny,
      };
      const ranked = (await search.search(tenantA, q)).hits.map((h) => ({ value: 1 - h.score, text: h.text }));
      expect(ranked).toHaveLength(3);
      // Answered by the index alone (the exact fallback never ran), with the planner left to its own choices.
      await ds.transaction(async (em) => {
        await em.query(`SELECT set_config('hnsw.ef_search', '10', true), set_config('hnsw.iterative_scan', 'strict_order', true)`);
        const { sql, params } = searchSql(tenantA, q);
        const plan = ((await em.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`, params)) as Array<{ 'QUERY PLAN': string }>).map(
          (r) => r['QUERY PLAN'],
        );
        const text = plan.join('\n');
        expect(text).toContain(
          `Index Scan using ${VectorIndexCatalog.indexName({ tenantId: tenantA, namespace: 'filter', embeddingVersion: VERSION })}`,
        );
        // The exact CTE's scan sits under a one-time filter on the index's row count and never ran.
        const start = plan.findIndex((line) => line.trim() === 'CTE exact');
        const end = plan.findIndex((line, i) => i > start && /^ {0,2}\S/.test(line));
        expect(plan.slice(start, end).join('\n')).toMatch(/One-Time Filter[^\n]*\n\s*->\s+\S*\s*Scan[^\n]*\(never executed\)/);
      });
      ranked.forEach((r) => expect(r.text).toMatch(/^rare tagged chunk \d$/));
      for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.value).toBeGreaterThanOrEqual(ranked[i - 1]!.value);
      ranked.forEach((r) => expect(r.value).toBeCloseTo(cosineDistance(vectorsByText.get(r.text)!, query), 5));
    });

    it('combines scalar and any-of filters', async () => {
      const query = unit(0);
      const found = texts(await nearest(tenantA, 'filter', query, 10, { tag: 'rare', group: [0, 2] }));
      // rare-t has group t % 3: t = 0, 2, 3 match.
      expect(found.sort()).toEqual(['rare tagged chunk 0', 'rare tagged chunk 2', 'rare tagged chunk 3']);
      const anyTag = await nearest(tenantA, 'filter', query, 10, { tag: ['rare', 'nope'] });
      expect(anyTag).toHaveLength(5);
      await expect(nearest(tenantA, 'filter', query, 10, { tag: 'nope' })).resolves.toEqual([]);
    });

    it('returns up to the limit from a large namespace, in non-decreasing distance order and consistent with the stored vectors', async () => {
      const query = vec(0.5, 0.5, -0.5, 0.5, 0.1, 0.2, 0.3, 0.4);
      const ranked = await nearest(tenantA, 'filter', query, 20);
      const found = texts(ranked);
      expect(ranked).toHaveLength(20);
      expect(new Set(ranked.map((r) => r.id)).size).toBe(20);
      for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.value).toBeGreaterThanOrEqual(ranked[i - 1]!.value - 1e-6);
      ranked.forEach((r, i) => expect(r.value).toBeCloseTo(cosineDistance(vectorsByText.get(found[i]!)!, query), 5));
    });

    it('never returns deleted chunks', async () => {
      await writeDoc(tenantA, 'deleted', 'keep', [{ text: 'kept duckling entry', vector: vec(1, 0.1) }]);
      await writeDoc(tenantA, 'deleted', 'gone', [{ text: 'removed duckling entry', vector: unit(0) }]);
      const before = await nearest(tenantA, 'deleted', unit(0), 10);
      expect(texts(before)).toEqual(['removed duckling entry', 'kept duckling entry']);
      const goneId = before[0]!.id;

      await expect(docs.softDelete(tenantA, 'deleted', 'gone')).resolves.toBe(true);

      expect(texts(await nearest(tenantA, 'deleted', unit(0), 10))).toEqual(['kept duckling entry']);
      expect(texts(await nearest(tenantA, 'deleted', unit(0), 1))).toEqual(['kept duckling entry']);
      expect(texts(await keyword(tenantA, { namespace: 'deleted' }, 'duckling', 10))).toEqual(['kept duckling entry']);
      for (const mode of ['hybrid', 'keyword'] as const) {
        const found = await search.search(tenantA, {
          scope: { namespace: 'deleted' },
          mode,
          vector: { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(unit(0)) },
          text: 'removed duckling',
          candidates: 10,
          topK: 10,
          tuning: TUNING,
        });
        expect(found.hits.map((h) => h.id)).not.toContain(goneId);
      }
    });

    it("never returns another tenant's chunks, even the exact match", async () => {
      const aTexts = texts(await nearest(tenantA, 'order', unit(0), 100));
      expect(aTexts).toHaveLength(5);
      expect(aTexts).not.toContain('tenant B exact match; cats purr here too');

      expect(texts(await nearest(tenantB, 'order', unit(0), 100))).toEqual(['tenant B exact match; cats purr here too']);
      expect((await keyword(tenantA, { namespace: 'order' }, 'cats purr', 10)).map((x) => x.id)).toEqual([]);
      // The same holds for the exact fallback (a limit beyond the scope forces it) and for hybrid.
      const hybrid = await search.search(tenantA, {
        scope: { namespace: 'order' },
        mode: 'hybrid',
        vector: { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(unit(0)) },
        text: 'cats purr',
        candidates: 100,
        topK: 100,
        tuning: TUNING,
      });
      expect(hybrid.hits.map((h) => h.text)).not.toContain('tenant B exact match; cats purr here too');
      expect(hybrid.hits).toHaveLength(5);
    });
  });

  describe('keyword', () => {
    const keywordTexts = (tenantId: TenantId, query: string, filter?: MetadataFilter, namespace = 'kw') =>
      keyword(tenantId, { namespace, ...(filter ? { filter } : {}) }, query, 10).then((ranked) => {
        ranked.forEach((x) => expect(x.value).toBeGreaterThan(0));
        for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.value).toBeLessThanOrEqual(ranked[i - 1]!.value);
        return texts(ranked);
      });

    it('matches with English stemming: "cats purr" finds "Cats ... purr" and "cat ... purr"', async () => {
      const found = await keywordTexts(tenantA, 'cats purr');
      expect([...found].sort()).toEqual(['A cat will purr, and purring cats purr more.', 'Cats often purr when they are content.']);
    });

    it('matches other inflections of the same stems', async () => {
      await expect(keywordTexts(tenantA, 'barking dog')).resolves.toEqual(['Dogs bark at the mailman every morning.']);
      await expect(keywordTexts(tenantA, 'engines purring')).resolves.toEqual(['The engine was purring smoothly.']);
    });

    it('supports web-search syntax: phrases and exclusion', async () => {
      await expect(keywordTexts(tenantA, '"cats purr"')).resolves.toEqual(['A cat will purr, and purring cats purr more.']);
      await expect(keywordTexts(tenantA, 'cats -purr')).resolves.toEqual(['Cats are independent animals.']);
      await expect(keywordTexts(tenantA, 'dogs or engine')).resolves.toHaveLength(2);
    });

    it('applies the metadata filter', async () => {
      await expect(keywordTexts(tenantA, 'cats purr', { src: 'b' })).resolves.toEqual(['A cat will purr, and purring cats purr more.']);
      await expect(keywordTexts(tenantA, 'cats purr', { src: ['a', 'z'] })).resolves.toEqual(['Cats often purr when they are content.']);
    });

    it('returns nothing for a query of stop words only, or without matches', async () => {
      await expect(keywordTexts(tenantA, 'the and of')).resolves.toEqual([]);
      await expect(keywordTexts(tenantA, 'zebra')).resolves.toEqual([]);
    });

    it("only searches the caller's tenant", async () => {
      await expect(keywordTexts(tenantB, 'cats purr')).resolves.toEqual(['My cats purr all day long.']);
      expect(await keywordTexts(tenantA, 'cats purr')).not.toContain('My cats purr all day long.');
    });
  });

  describe('hybrid', () => {
    it('fuses the vector and keyword lists by reciprocal rank (k = 60), ties broken by id', async () => {
      const scope = { namespace: 'kw' };
      const v = { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(vec(0, 0, 1, 0.2, 0.1)) };
      const common = { scope, vector: v, text: 'cats purr', candidates: 10, topK: 10, tuning: TUNING };
      const byVector = (await search.search(tenantA, { ...common, mode: 'vector' })).hits;
      const byKeyword = (await search.search(tenantA, { ...common, mode: 'keyword' })).hits;
      const hybrid = await search.search(tenantA, { ...common, mode: 'hybrid' });

      // The reference: each list ordered as the repository ranks it (distance / rank, then id), 1 / (60 + rank) summed.
      const fused = new Map<string, number>();
      const add = (ids: string[]) => ids.forEach((id, i) => fused.set(id, (fused.get(id) ?? 0) + 1 / (60 + i + 1)));
      add(byVector.map((h) => h.id));
      add(byKeyword.map((h) => h.id));
      const expected = [...fused].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      expect(hybrid.hits.map((h) => [h.id, h.score])).toEqual(expected);
      expect(hybrid.totalFound).toBe(fused.size);
      // A chunk in both lists outranks any chunk in one list.
      expect(hybrid.hits[0]!.text).toMatch(/purr/);
      expect(byKeyword.length).toBeGreaterThan(0);
    });

    it('returns chunk texts, doc ids and metadata with each hit', async () => {
      const found = await search.search(tenantA, {
        scope: { namespace: 'kw' },
        mode: 'keyword',
        vector: null,
        text: 'mailman',
        candidates: 10,
        topK: 10,
        tuning: TUNING,
      });
      expect(found.hits).toEqual([
        {
          id: expect.any(String),
          docId: 'k2',
          text: 'Dogs bark at the mailman every morning.',
          metadata: { src: 'a' },
          score: expect.any(Number),
        },
      ]);
      expect(found.totalFound).toBe(1);
    });

    it('returns top_k rows but counts every distinct candidate', async () => {
      const found = await search.search(tenantA, {
        scope: { namespace: 'filter' },
        mode: 'hybrid',
        vector: { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(unit(1)) },
        text: 'filler chunk',
        candidates: 50,
        topK: 7,
        tuning: TUNING,
      });
      expect(found.hits).toHaveLength(7);
      expect(found.totalFound).toBeGreaterThanOrEqual(50);
      expect(found.totalFound).toBeLessThanOrEqual(100);
    });
  });

  describe('snapshot', () => {
    it('is one statement: with the session settings in place a search is a single round trip', async () => {
      const url = process.env['DATAFACTORY_TEST_DATABASE_URL']!;
      const pooled = createDataSource({
        url,
        poolSize: 2,
        statementTimeoutMs: 15_000,
        applicationName: 'df-int-search-session',
        sessionSettings: SearchRepository.sessionSettings(TUNING),
      });
      await pooled.initialize();
      try {
        const settings = (await pooled.query(
          `SELECT current_setting('hnsw.ef_search') AS ef, current_setting('hnsw.iterative_scan') AS scan`,
        )) as Array<{ ef: string; scan: string }>;
        expect(settings).toEqual([{ ef: '100', scan: 'strict_order' }]);
        const sent: string[] = [];
        const recording = new Proxy(pooled, {
          get(target, prop, receiver) {
            if (prop === 'query') return (sql: string, params?: unknown[]) => (sent.push(sql), target.query(sql, params));
            if (prop === 'transaction')
              return () => Promise.reject(new Error('a search with the session tuning must not open a transaction'));
            return Reflect.get(target, prop, receiver) as unknown;
          },
        });
        const repo = new SearchRepository(recording, TUNING);
        expect(texts(await nearest(tenantA, 'order', unit(0), 2, undefined, repo))).toEqual([
          'alpha points along the first axis',
          'epsilon leans towards the first axis',
        ]);
        expect(sent).toHaveLength(1);
      } finally {
        await pooled.destroy();
      }
    });

    it('sees one snapshot: a document re-upserted during searches is seen entirely old or entirely new', async () => {
      const doc = (v: number) =>
        Array.from({ length: 4 }, (_, c) => ({ text: `lighthouse keeper log version ${v} part ${c}`, vector: vec(1, v % 2, c) }));
      await writeDoc(tenantA, 'snap', 'flip', doc(0));
      const rewrite = async (v: number) => {
        const chunks = doc(v);
        const text = chunks.map((c) => c.text).join('\n\n');
        await docs.write(tenantA, {
          namespace: 'snap',
          docId: 'flip',
          title: null,
          text,
          metadata: {},
          subjectIds: [],
          docHash: sha(text),
          metaHash: sha('{}'),
          embeddingVersion: VERSION,
          tokenCount: 20,
          chunks: chunks.map((c, ordinal) => ({ ordinal, text: c.text, hash: sha(c.text), tokenCount: 5 })),
          newEmbeddings: chunks.map((c) => ({ hash: sha(c.text), vector: toVectorLiteral(c.vector) })),
        });
      };
      let writing = true;
      const writer = (async () => {
        for (let v = 1; v <= 40; v++) await rewrite(v);
        writing = false;
      })();
      const seen = new Set<number>();
      while (writing) {
        const found = await search.search(tenantA, {
          scope: { namespace: 'snap' },
          mode: 'hybrid',
          vector: { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(unit(0)) },
          text: 'lighthouse keeper',
          candidates: 10,
          topK: 10,
          tuning: TUNING,
        });
        const versions = new Set(found.hits.map((h) => Number(/version (\d+)/.exec(h.text)![1])));
        expect(found.hits).toHaveLength(4);
        expect(versions.size).toBe(1);
        seen.add([...versions][0]!);
      }
      await writer;
      expect(seen.size).toBeGreaterThan(0);
    });
  });
});
