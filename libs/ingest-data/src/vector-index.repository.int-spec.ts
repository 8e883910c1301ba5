import { IntegrationDb, openIntegrationDb } from '@datafactory/testing';
import { toVectorLiteral, VectorIndexCatalog, VectorIndexScope } from '@datafactory/db';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { VectorIndexBuild, VectorIndexRepository } from './vector-index.repository';

/** This file's own embedding versions; the search tests build theirs under other names. */
const VERSION = 'test:vi:8';
const BUILD: VectorIndexBuild = { minChunks: 3, m: 8, efConstruction: 16, buildMemory: '64MB' };

describe('VectorIndexRepository (Postgres)', () => {
  let db: IntegrationDb;
  let ds: DataSource;
  let indexes: VectorIndexRepository;
  let tenantId: string;

  beforeAll(async () => {
    db = await openIntegrationDb({ name: 'vector-index', poolSize: 6, statementTimeoutMs: 15_000 });
    ds = db.ds;
    indexes = new VectorIndexRepository(ds);
    tenantId = await db.tenant('vector-index int');
  });

  afterAll(async () => {
    await db?.close();
  });

  const scope = (namespace: string, embeddingVersion = VERSION): VectorIndexScope => ({
    tenantId,
    namespace,
    embeddingVersion,
    dimensions: 8,
  });

  /** `n` one-chunk documents in the scope. */
  async function seed(s: VectorIndexScope, n: number): Promise<void> {
    const docs: Array<{ id: string }> = await ds.query(
      `INSERT INTO documents (tenant_id, namespace, doc_id, text, doc_hash, meta_hash, embedding_version, chunk_count, token_count)
       SELECT $1, $2, 'd' || g || '-' || gen_random_uuid(), 'x', 'h', 'm', $3, 1, 1 FROM generate_series(1, $4::int) g RETURNING id`,
      [s.tenantId, s.namespace, s.embeddingVersion, n],
    );
    const vectors = docs.map((_, i) => toVectorLiteral(Array.from({ length: 8 }, (_, k) => Math.sin(i * 8 + k + 1))));
    await ds.query(
      `INSERT INTO chunks (document_id, tenant_id, namespace, doc_id, ordinal, text, chunk_hash, token_count, embedding, embedding_version)
       SELECT d, $1, $2, 'doc', 0, 'text', md5(d::text), 1, e::vector, $3 FROM unnest($4::bigint[], $5::text[]) AS u(d, e)`,
      [s.tenantId, s.namespace, s.embeddingVersion, docs.map((d) => d.id), vectors],
    );
  }

  const definitions = async (name: string): Promise<string[]> =>
    (
      (await ds.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'chunks' AND indexname = $1`, [name])) as Array<{
        indexdef: string;
      }>
    ).map((r) => r.indexdef);

  it('names the index after a hash of tenant, namespace and embedding version', () => {
    const name = VectorIndexCatalog.indexName(scope('a'));
    expect(name).toMatch(/^chunks_hnsw_[0-9a-f]{24}$/);
    expect(VectorIndexCatalog.indexName(scope('a'))).toBe(name);
    expect(VectorIndexCatalog.indexName(scope('b'))).not.toBe(name);
    expect(VectorIndexCatalog.indexName(scope('a', 'test:vi:16'))).not.toBe(name);
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(VectorIndexCatalog.indexName({ tenantId, namespace: 'x', embeddingVersion: 'yz' })).not.toBe(
      VectorIndexCatalog.indexName({ tenantId, namespace: 'xy', embeddingVersion: 'z' }),
    );
  });

  it('builds nothing for a scope below the threshold and reports it missing', async () => {
    await seed(scope('small'), 2);
    await expect(indexes.ensure(scope('small'), BUILD)).resolves.toBe('too_small');
    await expect(indexes.describe(scope('small'))).resolves.toEqual({
      name: VectorIndexCatalog.indexName(scope('small')),
      dimensions: 8,
      exists: false,
      valid: false,
      sizeBytes: 0,
    });
    expect(await definitions(VectorIndexCatalog.indexName(scope('small')))).toEqual([]);
  });

  it('builds one valid index for the scope when called three times at once, and again is a no-op', async () => {
    await seed(scope('big'), 5);
    const name = VectorIndexCatalog.indexName(scope('big'));
    const outcomes = await Promise.all([
      indexes.ensure(scope('big'), BUILD),
      indexes.ensure(scope('big'), BUILD),
      indexes.ensure(scope('big'), BUILD),
    ]);
    expect(outcomes.sort()).toEqual(['built', 'exists', 'exists']);

    const info = await indexes.describe(scope('big'));
    expect(info).toMatchObject({ name, dimensions: 8, exists: true, valid: true });
    expect(info.sizeBytes).toBeGreaterThan(0);

    const defs = await definitions(name);
    expect(defs).toHaveLength(1);
    expect(defs[0]).toContain('USING hnsw');
    expect(defs[0]).toContain('vector_cosine_ops');
    expect(defs[0]).toMatch(/\(embedding\)::vector\(8\)/);
    expect(defs[0]).toMatch(/WITH \(m='?8'?, ef_construction='?16'?\)/);
    expect(defs[0]).toContain(`'${tenantId}/big'::text`);
    expect(defs[0]).toContain(`embedding_version = '${VERSION}'::text`);
    expect(defs[0]).toMatch(/deleted_at IS NULL/);

    await expect(indexes.ensure(scope('big'), BUILD)).resolves.toBe('exists');
    expect(await definitions(name)).toHaveLength(1);
  });

  it('drops an invalid index left by an interrupted build and builds it again', async () => {
    await seed(scope('interrupted'), 4);
    const name = VectorIndexCatalog.indexName(scope('interrupted'));
    await indexes.ensure(scope('interrupted'), BUILD);
    // What a build killed half-way leaves behind: the catalog entry, marked invalid.
    await ds.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass($1)`, [name]);
    await expect(indexes.describe(scope('interrupted'))).resolves.toMatchObject({ exists: true, valid: false });
    await expect(indexes.ensure(scope('interrupted'), BUILD)).resolves.toBe('built');
    await expect(indexes.describe(scope('interrupted'))).resolves.toMatchObject({ exists: true, valid: true });
  });

  it('quotes a namespace and an embedding version containing single quotes in the index predicate', async () => {
    const quoted = scope("o'brien", "test:vi'quoted:8");
    await seed(quoted, 3);
    await expect(indexes.ensure(quoted, BUILD)).resolves.toBe('built');
    const defs = await definitions(VectorIndexCatalog.indexName(quoted));
    expect(defs).toHaveLength(1);
    expect(defs[0]).toContain(`'${tenantId}/o''brien'::text`);
    expect(defs[0]).toContain(`embedding_version = 'test:vi''quoted:8'::text`);
  });

  it('lists the scopes at or above the threshold that lack an index', async () => {
    await seed(scope('sweep-me'), 3);
    const unindexed = await indexes.unindexedScopes(VERSION, BUILD.minChunks);
    const mine = unindexed.filter((s) => s.tenantId === tenantId).map((s) => s.namespace);
    expect(mine).toContain('sweep-me');
    expect(mine).not.toContain('small');
    expect(mine).not.toContain('big');
  });

  it('drops the shared per-version indexes of earlier releases, and only those', async () => {
    const legacy = 'chunks_hnsw_00112233445566ff';
    await ds.query(
      `CREATE INDEX ${legacy} ON chunks USING hnsw ((embedding::vector(8)) vector_cosine_ops) WHERE embedding_version = 'test:vi:legacy'`,
    );
    const dropped = await indexes.dropLegacyIndexes();
    expect(dropped).toContain(legacy);
    expect(await definitions(legacy)).toEqual([]);
    expect(await definitions(VectorIndexCatalog.indexName(scope('big')))).toHaveLength(1);
  });

  it('rejects an invalid dimension and creates nothing', async () => {
    const bad = { ...scope('bad-dims'), dimensions: 0 };
    await seed(scope('bad-dims'), 3);
    await expect(indexes.ensure(bad, BUILD)).rejects.toThrow(RangeError);
    expect(await definitions(VectorIndexCatalog.indexName(bad))).toEqual([]);
  });

  it("finds and drops the indexes of one namespace, then of the whole tenant, and no one else's", async () => {
    await seed(scope('erase-a'), 3);
    await seed(scope('erase-b'), 3);
    await indexes.ensure(scope('erase-a'), BUILD);
    await indexes.ensure(scope('erase-b'), BUILD);
    const other = ((await ds.query(`INSERT INTO tenants (name) VALUES ('vector-index other') RETURNING id`)) as Array<{ id: string }>)[0]!
      .id;
    const theirs = { ...scope('erase-a'), tenantId: other };
    await seed(theirs, 3);
    await indexes.ensure(theirs, BUILD);

    expect(await indexes.scopeIndexes(tenantId, 'erase-a')).toEqual([VectorIndexCatalog.indexName(scope('erase-a'))]);
    await expect(indexes.dropScopeIndexes(tenantId, 'erase-a')).resolves.toEqual({ before: 1, after: 0 });
    await expect(indexes.describe(scope('erase-b'))).resolves.toMatchObject({ valid: true });

    const all = await indexes.scopeIndexes(tenantId, null);
    expect(all).toContain(VectorIndexCatalog.indexName(scope('erase-b')));
    expect(all).not.toContain(VectorIndexCatalog.indexName(theirs));
    await expect(indexes.dropScopeIndexes(tenantId, null)).resolves.toEqual({ before: all.length, after: 0 });
    await expect(indexes.describe(theirs)).resolves.toMatchObject({ valid: true });
  });

  it('names and predicates use the tenant id as Postgres prints it (lower case)', () => {
    const upper = { ...scope('case'), tenantId: tenantId.toUpperCase() };
    expect(VectorIndexCatalog.indexName(upper)).toBe(VectorIndexCatalog.indexName(scope('case')));
    expect(VectorIndexCatalog.predicateSql(upper)).toBe(VectorIndexCatalog.predicateSql(scope('case')));
  });
});
