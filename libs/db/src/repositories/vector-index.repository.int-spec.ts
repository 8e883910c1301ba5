import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { VectorIndexRepository } from './vector-index.repository';

/** This file's own embedding versions; the search tests build theirs under other names. */
const VERSION = 'test:vi:8';

describe('VectorIndexRepository (Postgres)', () => {
  let ds: DataSource;
  let indexes: VectorIndexRepository;

  beforeAll(async () => {
    const url = process.env['DATAFACTORY_TEST_DATABASE_URL'];
    if (!url) throw new Error('DATAFACTORY_TEST_DATABASE_URL is not set (the integration globalSetup sets it)');
    ds = createDataSource({ url, poolSize: 4, statementTimeoutMs: 15_000, applicationName: 'df-int-vector-index' });
    await ds.initialize();
    indexes = new VectorIndexRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const definitions = async (name: string): Promise<string[]> =>
    ((await ds.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'chunks' AND indexname = $1`, [name])) as Array<{ indexdef: string }>).map(
      (r) => r.indexdef,
    );

  it('names the index after a hash of the embedding version', () => {
    const name = VectorIndexRepository.indexName(VERSION);
    expect(name).toMatch(/^chunks_hnsw_[0-9a-f]{16}$/);
    expect(VectorIndexRepository.indexName(VERSION)).toBe(name);
    expect(VectorIndexRepository.indexName('test:vi:16')).not.toBe(name);
  });

  it('reports a missing index before ensure', async () => {
    await expect(indexes.describe('test:vi:never', 8)).resolves.toEqual({
      name: VectorIndexRepository.indexName('test:vi:never'),
      dimensions: 8,
      exists: false,
      valid: false,
      sizeBytes: 0,
    });
  });

  it('creates one valid HNSW cosine index when called three times at once, and again is a no-op', async () => {
    const name = VectorIndexRepository.indexName(VERSION);
    const names = await Promise.all([indexes.ensure(VERSION, 8), indexes.ensure(VERSION, 8), indexes.ensure(VERSION, 8)]);
    expect(names).toEqual([name, name, name]);

    const info = await indexes.describe(VERSION, 8);
    expect(info).toMatchObject({ name, dimensions: 8, exists: true, valid: true });
    expect(info.sizeBytes).toBeGreaterThan(0);

    const defs = await definitions(name);
    expect(defs).toHaveLength(1);
    expect(defs[0]).toContain('USING hnsw');
    expect(defs[0]).toContain('vector_cosine_ops');
    expect(defs[0]).toMatch(/\(embedding\)::vector\(8\)/);
    expect(defs[0]).toContain(`embedding_version = '${VERSION}'::text`);
    expect(defs[0]).toMatch(/deleted_at IS NULL/);

    await expect(indexes.ensure(VERSION, 8)).resolves.toBe(name);
    expect(await definitions(name)).toHaveLength(1);
  });

  it('quotes an embedding version containing a single quote in the index predicate', async () => {
    const version = "test:vi'quoted:8";
    const name = await indexes.ensure(version, 8);
    const defs = await definitions(name);
    expect(defs).toHaveLength(1);
    expect(defs[0]).toContain(`embedding_version = 'test:vi''quoted:8'::text`);
    await expect(indexes.describe(version, 8)).resolves.toMatchObject({ exists: true, valid: true });
  });

  it('rejects an invalid dimension and creates nothing', async () => {
    await expect(indexes.ensure('test:vi:bad', 0)).rejects.toThrow(RangeError);
    expect(await definitions(VectorIndexRepository.indexName('test:vi:bad'))).toEqual([]);
  });
});
