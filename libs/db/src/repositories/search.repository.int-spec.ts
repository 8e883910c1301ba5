import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { asTenantId, MetadataFilter, TenantId } from '@datafactory/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../data-source';
import { toVectorLiteral } from '../vector-sql';
import { DocumentsRepository } from './documents.repository';
import { RankedChunk, SearchRepository, SnapshotReader } from './search.repository';
import { TenantsRepository } from './tenants.repository';
import { VectorIndexRepository } from './vector-index.repository';

/** This file's own embedding version (8 dimensions); its HNSW index is built in beforeAll. */
const VERSION = 'test:v:8';
const DIMS = 8;
const TUNING = { efSearch: 100, maxScanTuples: 20_000 };

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

describe('SearchRepository / SnapshotReader (Postgres)', () => {
  let ds: DataSource;
  let docs: DocumentsRepository;
  let search: SearchRepository;
  let tenantA: TenantId;
  let tenantB: TenantId;
  const vectorsByText = new Map<string, number[]>();

  /** Writes a document the way ingest does: through DocumentsRepository.write, embeddings as pgvector literals. */
  async function writeDoc(tenantId: TenantId, namespace: string, docId: string, chunks: ChunkSpec[], metadata: Record<string, unknown> = {}): Promise<void> {
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

  const read = <T>(tenantId: TenantId, work: (reader: SnapshotReader) => Promise<T>): Promise<T> => search.snapshot(tenantId, TUNING, work);

  /** The texts of ranked chunks, in order, resolved inside the same snapshot. */
  async function texts(reader: SnapshotReader, ranked: RankedChunk[]): Promise<string[]> {
    const hits = await reader.chunks(ranked.map((r) => r.id));
    return ranked.map((r) => hits.get(r.id)?.text ?? `<missing ${r.id}>`);
  }

  const nearest = (reader: SnapshotReader, namespace: string, query: number[], limit: number, filter?: MetadataFilter) =>
    reader.nearest({ namespace, ...(filter ? { filter } : {}) }, { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(query) }, limit);

  beforeAll(async () => {
    const url = process.env['DATAFACTORY_TEST_DATABASE_URL'];
    if (!url) throw new Error('DATAFACTORY_TEST_DATABASE_URL is not set (the integration globalSetup sets it)');
    ds = createDataSource({ url, poolSize: 8, statementTimeoutMs: 15_000, applicationName: 'df-int-search' });
    await ds.initialize();
    docs = new DocumentsRepository(ds);
    search = new SearchRepository(ds);
    const tenants = new TenantsRepository(ds);
    tenantA = asTenantId((await tenants.create('search-int A')).id);
    tenantB = asTenantId((await tenants.create('search-int B')).id);
    await new VectorIndexRepository(ds).ensure(VERSION, DIMS);

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
      writes.push(writeDoc(tenantA, 'filter', `rare-${t}`, [{ text: `rare tagged chunk ${t}`, vector: randomVector() }], { tag: 'rare', group: t % 3 }));
    }
    await Promise.all(writes);

    // "kw": full-text search.
    await writeDoc(tenantA, 'kw', 'k1', [{ text: 'Cats often purr when they are content.', vector: unit(2) }], { src: 'a' });
    await writeDoc(tenantA, 'kw', 'k2', [{ text: 'Dogs bark at the mailman every morning.', vector: unit(3) }], { src: 'a' });
    await writeDoc(tenantA, 'kw', 'k3', [{ text: 'A cat will purr, and purring cats purr more.', vector: unit(4) }], { src: 'b' });
    await writeDoc(tenantA, 'kw', 'k4', [{ text: 'The engine was purring smoothly.', vector: unit(5) }], { src: 'b' });
    await writeDoc(tenantA, 'kw', 'k5', [{ text: 'Cats are independent animals.', vector: unit(6) }], { src: 'a' });
    await writeDoc(tenantB, 'kw', 'kb', [{ text: 'My cats purr all day long.', vector: unit(2) }], { src: 'a' });
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  describe('nearest', () => {
    it('orders by cosine distance and reports the distance', async () => {
      const { ranked, found } = await read(tenantA, async (r) => {
        const ranked = await nearest(r, 'order', unit(0), 10);
        return { ranked, found: await texts(r, ranked) };
      });
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
      const found = await read(tenantA, async (r) => texts(r, await nearest(r, 'order', vec(-1, 0.1), 2)));
      expect(found).toEqual(['delta points the other way', 'gamma is orthogonal']);
    });

    it('returns every match of a selective filter (5 of 305) with limit 10, in distance order', async () => {
      const query = vec(0.3, -0.2, 0.9, 0.1, -0.5, 0.4, 0.2, -0.7);
      const { ranked, found } = await read(tenantA, async (r) => {
        const ranked = await nearest(r, 'filter', query, 10, { tag: 'rare' });
        return { ranked, found: await texts(r, ranked) };
      });
      expect(ranked).toHaveLength(5);
      const byDistance = [0, 1, 2, 3, 4]
        .map((t) => `rare tagged chunk ${t}`)
        .sort((a, b) => cosineDistance(vectorsByText.get(a)!, query) - cosineDistance(vectorsByText.get(b)!, query));
      expect(found).toEqual(byDistance);
      ranked.forEach((r, i) => expect(r.value).toBeCloseTo(cosineDistance(vectorsByText.get(found[i]!)!, query), 5));
    });

    it('through the HNSW index, iterative scanning still finds filtered rows far beyond ef_search', async () => {
      const query = vec(0.3, -0.2, 0.9, 0.1, -0.5, 0.4, 0.2, -0.7);
      await ds.transaction('REPEATABLE READ', async (em) => {
        // The snapshot's settings, with a tiny ef_search and the alternatives to the index switched off.
        await em.query(`SELECT set_config('hnsw.ef_search', '10', true), set_config('hnsw.iterative_scan', 'strict_order', true),
                               set_config('hnsw.max_scan_tuples', '20000', true)`);
        await em.query(`SET LOCAL enable_seqscan = off`);
        await em.query(`SET LOCAL enable_bitmapscan = off`);
        await em.query(`SET LOCAL enable_sort = off`);
        const sent: Array<{ sql: string; params: unknown[] | undefined }> = [];
        const recording = {
          query: (sql: string, params?: unknown[]): Promise<unknown> => {
            sent.push({ sql, params });
            return em.query(sql, params);
          },
        } as unknown as EntityManager;

        const reader = new SnapshotReader(recording, tenantA);
        const ranked = await nearest(reader, 'filter', query, 3, { tag: 'rare' });
        expect(ranked).toHaveLength(3);
        // Answered by the index query alone (no exact fallback), and that query used this version's index.
        expect(sent).toHaveLength(1);
        const plan = (await em.query(`EXPLAIN ${sent[0]!.sql}`, sent[0]!.params)) as Array<{ 'QUERY PLAN': string }>;
        expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(`Index Scan using ${VectorIndexRepository.indexName(VERSION)}`);

        const found = await texts(reader, ranked);
        found.forEach((t) => expect(t).toMatch(/^rare tagged chunk \d$/));
        for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.value).toBeGreaterThanOrEqual(ranked[i - 1]!.value);
        ranked.forEach((r, i) => expect(r.value).toBeCloseTo(cosineDistance(vectorsByText.get(found[i]!)!, query), 5));
      });
    });

    it('combines scalar and any-of filters', async () => {
      const query = unit(0);
      const found = await read(tenantA, async (r) => texts(r, await nearest(r, 'filter', query, 10, { tag: 'rare', group: [0, 2] })));
      // rare-t has group t % 3: t = 0, 2, 3 match.
      expect(found.sort()).toEqual(['rare tagged chunk 0', 'rare tagged chunk 2', 'rare tagged chunk 3']);
      const anyTag = await read(tenantA, async (r) => nearest(r, 'filter', query, 10, { tag: ['rare', 'nope'] }));
      expect(anyTag).toHaveLength(5);
      await expect(read(tenantA, (r) => nearest(r, 'filter', query, 10, { tag: 'nope' }))).resolves.toEqual([]);
    });

    it('returns up to the limit from a large namespace, in non-decreasing distance order and consistent with the stored vectors', async () => {
      const query = vec(0.5, 0.5, -0.5, 0.5, 0.1, 0.2, 0.3, 0.4);
      const { ranked, found } = await read(tenantA, async (r) => {
        const ranked = await nearest(r, 'filter', query, 20);
        return { ranked, found: await texts(r, ranked) };
      });
      expect(ranked).toHaveLength(20);
      expect(new Set(ranked.map((r) => r.id)).size).toBe(20);
      for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.value).toBeGreaterThanOrEqual(ranked[i - 1]!.value - 1e-6);
      ranked.forEach((r, i) => expect(r.value).toBeCloseTo(cosineDistance(vectorsByText.get(found[i]!)!, query), 5));
    });

    it('never returns deleted chunks', async () => {
      await writeDoc(tenantA, 'deleted', 'keep', [{ text: 'kept duckling entry', vector: vec(1, 0.1) }]);
      await writeDoc(tenantA, 'deleted', 'gone', [{ text: 'removed duckling entry', vector: unit(0) }]);
      const before = await read(tenantA, async (r) => {
        const ranked = await nearest(r, 'deleted', unit(0), 10);
        return { ids: ranked.map((x) => x.id), texts: await texts(r, ranked) };
      });
      expect(before.texts).toEqual(['removed duckling entry', 'kept duckling entry']);
      const goneId = before.ids[0]!;

      await expect(docs.softDelete(tenantA, 'deleted', 'gone')).resolves.toBe(true);

      await read(tenantA, async (r) => {
        expect(await texts(r, await nearest(r, 'deleted', unit(0), 10))).toEqual(['kept duckling entry']);
        expect(await texts(r, await nearest(r, 'deleted', unit(0), 1))).toEqual(['kept duckling entry']);
        expect(await texts(r, await r.keyword({ namespace: 'deleted' }, 'duckling', 10))).toEqual(['kept duckling entry']);
        expect((await r.chunks([goneId])).size).toBe(0);
      });
    });

    it("never returns another tenant's chunks, even the exact match", async () => {
      const { aIds, aTexts } = await read(tenantA, async (r) => {
        const ranked = await nearest(r, 'order', unit(0), 100);
        return { aIds: ranked.map((x) => x.id), aTexts: await texts(r, ranked) };
      });
      expect(aTexts).toHaveLength(5);
      expect(aTexts).not.toContain('tenant B exact match; cats purr here too');

      const bIds = await read(tenantB, async (r) => {
        const ranked = await nearest(r, 'order', unit(0), 100);
        expect(await texts(r, ranked)).toEqual(['tenant B exact match; cats purr here too']);
        // B cannot read A's chunks by id either.
        expect((await r.chunks(aIds)).size).toBe(0);
        return ranked.map((x) => x.id);
      });
      await read(tenantA, async (r) => {
        expect((await r.chunks(bIds)).size).toBe(0);
        expect((await r.keyword({ namespace: 'order' }, 'cats purr', 10)).map((x) => x.id)).toEqual([]);
      });
    });
  });

  describe('keyword', () => {
    const keywordTexts = (tenantId: TenantId, query: string, filter?: MetadataFilter, namespace = 'kw') =>
      read(tenantId, async (r) => {
        const ranked = await r.keyword({ namespace, ...(filter ? { filter } : {}) }, query, 10);
        ranked.forEach((x) => expect(x.value).toBeGreaterThan(0));
        for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.value).toBeLessThanOrEqual(ranked[i - 1]!.value);
        return texts(r, ranked);
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

  describe('snapshot', () => {
    it('sees one snapshot: a document committed during the search is not seen by its later reads', async () => {
      const { first, second } = await read(tenantA, async (r) => {
        const first = await texts(r, await r.keyword({ namespace: 'snap' }, 'lighthouse', 10));
        await writeDoc(tenantA, 'snap', 'late', [{ text: 'a lighthouse written mid-search', vector: unit(7) }]);
        const second = await texts(r, await r.keyword({ namespace: 'snap' }, 'lighthouse', 10));
        return { first, second };
      });
      expect(first).toEqual([]);
      expect(second).toEqual([]);
      await expect(read(tenantA, async (r) => texts(r, await r.keyword({ namespace: 'snap' }, 'lighthouse', 10)))).resolves.toEqual([
        'a lighthouse written mid-search',
      ]);
    });

    it('returns chunk texts, doc ids and metadata by id, ignoring unknown ids', async () => {
      await read(tenantA, async (r) => {
        const [hit] = await r.keyword({ namespace: 'kw' }, 'mailman', 10);
        expect(hit).toBeDefined();
        const map = await r.chunks([hit!.id, '00000000-0000-4000-8000-000000000000']);
        expect([...map.values()]).toEqual([{ id: hit!.id, docId: 'k2', text: 'Dogs bark at the mailman every morning.', metadata: { src: 'a' } }]);
        expect((await r.chunks([])).size).toBe(0);
      });
    });
  });
});
