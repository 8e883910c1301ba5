import { toVectorLiteral, VectorIndexCatalog } from '@datafactory/db';
import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import 'reflect-metadata';
import { TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { ChunkSearch, SearchRepository, searchSql } from './search.repository';
import { VectorIndexRepository } from '@datafactory/ingest-data';

const VERSION = 'test:plans:16';
const DIMS = 16;
const TUNING = { efSearch: 100, maxScanTuples: 20_000 };

/**
 * Query plans on a table that has never been analysed (autovacuum off on it), holding several tenants: the
 * vector candidates come from the scope's own HNSW index (tenant A has one; tenant B has none and is searched
 * exactly through the scope btree) and the keyword candidates from the scoped GIN index,
 * whatever the (absent) statistics say. Runs in a database of its own so no other test's ANALYZE interferes.
 */
describe('search plans without statistics (Postgres)', () => {
  let db: IntegrationDb;
  let ds: DataSource;
  let search: SearchRepository;
  const tenants: TenantId[] = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const words = ['harbour', 'lantern', 'granite', 'meadow', 'copper', 'falcon', 'willow', 'ember', 'quartz', 'saddle'];

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'search-plans', statementTimeoutMs: 30_000, fresh: true });
    ds = db.ds;
    await ds.query(`ALTER TABLE chunks SET (autovacuum_enabled = off)`);
    for (const name of ['plans A', 'plans B', 'plans C']) tenants.push(await db.tenant(name));
    // 3 tenants x 4,000 chunks (a table large enough that a sequential scan is the wrong plan) in the same namespace; 1 % of tenant A's chunks carry {rare: true}.
    for (const tenant of tenants) {
      const docs: Array<{ id: string }> = await ds.query(
        `INSERT INTO documents (tenant_id, namespace, doc_id, text, doc_hash, meta_hash, embedding_version, chunk_count, token_count)
         SELECT $1, 'ns', 'd' || g, 'x', 'h', 'm', $2, 1, 1 FROM generate_series(1, 4000) g RETURNING id`,
        [tenant, VERSION],
      );
      const texts = docs.map(
        (_, i) =>
          Array.from({ length: 30 }, (_, w) => words[(i * 7 + w * 3 + (i % (w + 2))) % words.length] + (w % 5 === 0 ? '' : String(w))).join(
            ' ',
          ) + ` item ${i}`,
      );
      const vectors = docs.map(() => toVectorLiteral(Array.from({ length: DIMS }, rnd)));
      const metadata = docs.map((_, i) => JSON.stringify(i % 100 === 0 ? { rare: true } : {}));
      await ds.query(
        `INSERT INTO chunks (document_id, tenant_id, namespace, doc_id, ordinal, text, chunk_hash, token_count, metadata, embedding, embedding_version)
         SELECT d, $1, 'ns', 'd' || d, 0, t, md5(t), 5, m::jsonb, e::vector, $2
           FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[]) AS u(d, t, e, m)`,
        [tenant, VERSION, docs.map((d) => d.id), texts, vectors, metadata],
      );
    }
    // Tenant A's scope gets its index; tenant B's stays below its (high) threshold.
    const build = { m: 16, efConstruction: 64, buildMemory: '64MB' };
    const indexes = new VectorIndexRepository(ds);
    await expect(indexes.ensure(scopeOf(tenants[0]!), { ...build, minChunks: 1000 })).resolves.toBe('built');
    await expect(indexes.ensure(scopeOf(tenants[1]!), { ...build, minChunks: 5000 })).resolves.toBe('too_small');
    search = new SearchRepository(ds);
  }, 120_000);

  const scopeOf = (tenantId: TenantId) => ({ tenantId, namespace: 'ns', embeddingVersion: VERSION, dimensions: DIMS });

  afterAll(async () => {
    await db?.close();
  });

  const query = (mode: ChunkSearch['mode'], extra: Partial<ChunkSearch> = {}): ChunkSearch => ({
    scope: { namespace: 'ns' },
    mode,
    vector: { embeddingVersion: VERSION, dimensions: DIMS, vector: toVectorLiteral(Array.from({ length: DIMS }, rnd)) },
    text: 'lantern quartz',
    candidates: mode === 'hybrid' ? 100 : 10,
    topK: 10,
    tuning: TUNING,
    ...extra,
  });

  /** The two branches of the `ann` CTE: through the scope's index, and through the shared index of earlier releases. */
  function annBranches(text: string): { scoped: string; legacy: string } {
    const ann = text.slice(text.indexOf('CTE ann'), text.indexOf('CTE exact'));
    const second = ann.indexOf('->  Limit', ann.indexOf('->  Limit') + 1);
    return { scoped: ann.slice(0, second), legacy: ann.slice(second) };
  }

  async function plan(q: ChunkSearch, tenant = tenants[0]!, analyze = false): Promise<string> {
    const { sql, params } = searchSql(tenant, q);
    return ds.transaction(async (em) => {
      await em.query(`SELECT set_config('hnsw.ef_search', '100', true), set_config('hnsw.iterative_scan', 'strict_order', true)`);
      const rows = (await em.query(`EXPLAIN (${analyze ? 'ANALYZE, TIMING OFF, ' : ''}COSTS OFF) ${sql}`, params)) as Array<{
        'QUERY PLAN': string;
      }>;
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  it('the table has no statistics', async () => {
    const rows: Array<{ n: string }> = await ds.query(`SELECT count(*)::text AS n FROM pg_stats WHERE tablename = 'chunks'`);
    expect(rows[0]!.n).toBe('0');
  });

  it.each(['vector', 'hybrid'] as const)("%s: vector candidates come from the scope's HNSW index, not the scope btree", async (mode) => {
    const { scoped, legacy } = annBranches(await plan(query(mode)));
    expect(scoped).toContain(`Index Scan using ${VectorIndexCatalog.indexName(scopeOf(tenants[0]!))}`);
    expect(scoped).not.toContain('chunks_scope_idx');
    expect(scoped).not.toContain('Seq Scan');
    // The branch for the shared index of earlier releases is cut off by its one-time filter (there is none here).
    expect(legacy).toContain(`One-Time Filter: (($1 IS NOT TRUE) AND ($2 IS TRUE))`);
  });

  it('a scope without an index skips the index scan and is searched exactly through the scope btree', async () => {
    const text = await plan(query('vector'), tenants[1]!, true);
    const ann = text.slice(text.indexOf('CTE ann'), text.indexOf('CTE exact'));
    expect(ann).toContain('One-Time Filter');
    expect(ann).toMatch(/\(never executed\)/);
    const exact = text.slice(text.indexOf('CTE exact'));
    expect(exact).toContain('chunks_scope_idx');
    const found = await search.search(tenants[1]!, query('vector'));
    expect(found.hits).toHaveLength(10);
  });

  it('after an upgrade, a scope without its index goes through the shared index of earlier releases while it exists', async () => {
    const legacy = VectorIndexCatalog.legacyIndexName(VERSION);
    await ds.query(
      `CREATE INDEX ${legacy} ON chunks USING hnsw ((embedding::vector(${DIMS})) vector_cosine_ops) WHERE embedding_version = '${VERSION}' AND deleted_at IS NULL`,
    );
    try {
      const text = await plan(query('vector'), tenants[1]!, true);
      expect(annBranches(text).legacy).toContain(`Index Scan using ${legacy} on chunks c_2 (actual rows=10`);
      expect(text.slice(text.indexOf('CTE exact'))).toMatch(/\(never executed\)/);
      expect((await search.search(tenants[1]!, query('vector'))).hits).toHaveLength(10);
      // Tenant A has its own index: its scoped branch runs (the planner may walk either graph while both exist,
      // as the release before did), and the shared branch does not.
      const own = annBranches(await plan(query('vector'), tenants[0]!, true));
      expect(own.scoped).toMatch(/Index Scan using chunks_hnsw_[0-9a-f]+ on chunks c_1 \(actual rows=10/);
      expect(own.legacy).toMatch(/Index Scan using \S+ on chunks c_2 \(never executed\)/);
    } finally {
      await ds.query(`DROP INDEX ${legacy}`);
    }
  });

  it.each(['keyword', 'hybrid'] as const)('%s: keyword candidates come from the scoped GIN index', async (mode) => {
    const text = await plan(query(mode));
    const kw = text.slice(text.indexOf('CTE kw'));
    expect(kw).toContain('Bitmap Index Scan on chunks_scope_tsv_idx');
    expect(kw).toMatch(/Index Cond: \(\(tenant_id = [^)]*\) AND \(namespace = [^)]*\) AND \(tsv @@/);
  });

  it('with a metadata filter, vector candidates still come from the HNSW index', async () => {
    const text = await plan(query('vector', { scope: { namespace: 'ns', filter: { rare: true } } }));
    expect(annBranches(text).scoped).toContain(`Index Scan using ${VectorIndexCatalog.indexName(scopeOf(tenants[0]!))}`);
  });

  it('a filtered search at 1 % selectivity returns k rows, nearest first', async () => {
    for (let i = 0; i < 5; i++) {
      const q = query('vector', { scope: { namespace: 'ns', filter: { rare: true } } });
      const found = await search.search(tenants[0]!, q);
      expect(found.hits).toHaveLength(10);
      found.hits.forEach((h) => expect(h.metadata).toEqual({ rare: true }));
      const exact: Array<{ id: string }> = await ds.query(
        `SELECT id FROM chunks WHERE tenant_id = $1 AND namespace = 'ns' AND metadata @> '{"rare": true}' ORDER BY embedding <=> $2::vector, id LIMIT 10`,
        [tenants[0], q.vector!.vector],
      );
      expect(found.hits.map((h) => h.id)).toEqual(exact.map((r) => r.id));
    }
  });

  it('hybrid with a 1 % filter returns k rows too (the exact fallback fills what the index cannot)', async () => {
    const found = await search.search(tenants[0]!, query('hybrid', { scope: { namespace: 'ns', filter: { rare: true } } }));
    expect(found.hits).toHaveLength(10);
    // Every one of tenant A's 40 rare chunks is a vector candidate: fewer than the 100 asked for, so the exact path ran.
    expect(found.totalFound).toBeGreaterThanOrEqual(40);
  });
});
