import { TenantId, asTenantId } from '@datafactory/contracts';
import type { VectorIndexOutcome, VectorIndexRepository } from '@datafactory/ingest-data';
import type { VectorIndexScope } from '@datafactory/db';
import type { EmbeddingProvider } from '@datafactory/embedding';
import type { Metrics } from '@datafactory/telemetry';
import type { IngestConfig } from '../ingest.config';
import { VectorIndexer } from './vector-indexer';

// @nestjs/common is ESM-only and the unit-test runtime is CommonJS (see libs/service-kit/src/error-body.spec.ts):
// the decorators become no-ops and the logger records what it is told.
const logged: { log: string[]; warn: string[]; error: string[] } = { log: [], warn: [], error: [] };
jest.mock('@nestjs/common', () => ({
  Injectable: () => () => undefined,
  Inject: () => () => undefined,
  Logger: class {
    log(message: string): void {
      logged.log.push(message);
    }
    error(message: string): void {
      logged.error.push(message);
    }
    warn(message: string): void {
      logged.warn.push(message);
    }
  },
}));
jest.mock('@datafactory/service-kit', () => ({ EMBEDDING_PROVIDER: Symbol('EMBEDDING_PROVIDER') }));
jest.mock('@datafactory/telemetry', () => ({ Metrics: class {} }));
jest.mock('@datafactory/ingest-data', () => ({ VectorIndexRepository: class {} }));
jest.mock('@datafactory/db', () => ({
  VectorIndexCatalog: {
    indexName: () => 'chunks_hnsw_test',
    scopeKey: (tenantId: string, namespace: string) => `${tenantId}/${namespace}`,
  },
}));
jest.mock('../ingest.config', () => ({ INGEST_CONFIG: Symbol('INGEST_CONFIG') }));

const TENANT: TenantId = asTenantId('0b8e6c1e-7d4e-4c1a-9f3e-2a1b3c4d5e6f');

/** A repository whose builds the test finishes by hand, recording how many run at once. */
class FakeIndexes {
  running = 0;
  mostAtOnce = 0;
  calls: string[] = [];
  chunks = 5_000;
  private readonly pending: Array<{ resolve: (o: VectorIndexOutcome) => void; reject: (e: Error) => void }> = [];

  liveChunks(): Promise<number> {
    return Promise.resolve(this.chunks);
  }

  ensure(scope: VectorIndexScope): Promise<VectorIndexOutcome> {
    this.calls.push(scope.namespace);
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    return new Promise<VectorIndexOutcome>((resolve, reject) => this.pending.push({ resolve, reject })).finally(() => this.running--);
  }

  unindexedScopes(): Promise<never[]> {
    return Promise.resolve([]);
  }

  async finish(outcome: VectorIndexOutcome | Error = 'built'): Promise<void> {
    for (let i = 0; i < 50 && this.pending.length === 0; i++) await new Promise((r) => setImmediate(r));
    const next = this.pending.shift();
    if (!next) throw new Error('no build is running');
    if (outcome instanceof Error) next.reject(outcome);
    else next.resolve(outcome);
  }
}

describe('VectorIndexer', () => {
  let indexes: FakeIndexes;
  let indexer: VectorIndexer;

  beforeEach(() => {
    logged.warn = [];
    indexes = new FakeIndexes();
    const metrics = { vectorIndexBuilds: { startTimer: () => () => 0 } } as unknown as Metrics;
    const embedder = { version: 'hash:fh-v1:8', dimensions: 8 } as EmbeddingProvider;
    const config = {
      VECTOR_INDEX_MIN_CHUNKS: 1000,
      VECTOR_INDEX_M: 16,
      VECTOR_INDEX_EF_CONSTRUCTION: 64,
      VECTOR_INDEX_BUILD_MEMORY: '64MB',
    } as IngestConfig;
    indexer = new VectorIndexer(indexes as unknown as VectorIndexRepository, metrics, embedder, config);
  });

  afterEach(() => {
    indexer.beforeApplicationShutdown();
  });

  it('builds one index at a time, in order, and shares a build already running for the same scope', async () => {
    const a = indexer.ensure(TENANT, 'a');
    const again = indexer.ensure(TENANT, 'a');
    const b = indexer.ensure(TENANT, 'b');
    await indexes.finish();
    await expect(a).resolves.toBe('built');
    await expect(again).resolves.toBe('built');
    await indexes.finish();
    await expect(b).resolves.toBe('built');
    expect(indexes.calls).toEqual(['a', 'b']);
    expect(indexes.mostAtOnce).toBe(1);
    // Remembered: no new build for a while.
    await expect(indexer.ensure(TENANT, 'a')).resolves.toBe('exists');
    expect(indexes.calls).toEqual(['a', 'b']);
  });

  it('does not build for a scope below the threshold, and counts it again only after a pause (single writes)', async () => {
    indexes.chunks = 10;
    await expect(indexer.ensure(TENANT, 'small')).resolves.toBe('too_small');
    const counted = jest.spyOn(indexes, 'liveChunks');
    indexer.ensureSoon(TENANT, 'small');
    await new Promise((r) => setImmediate(r));
    expect(counted).not.toHaveBeenCalled();
    expect(indexes.calls).toEqual([]);
  });

  it('lets a job wait for its index, and never fails it when the build fails', async () => {
    const waited = indexer.awaitIndex(TENANT, 'failing', () => false);
    await indexes.finish(new Error('CREATE INDEX failed'));
    await expect(waited).resolves.toBeUndefined();
    expect(logged.warn).toEqual([expect.stringContaining('CREATE INDEX failed')]);
  });

  it('stops a job waiting for its index when the worker shuts down; the build goes on', async () => {
    let stop = false;
    const waited = indexer.awaitIndex(TENANT, 'slow', () => stop);
    await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await expect(waited).resolves.toBeUndefined(); // returns although the build has not finished
    expect(indexes.running).toBe(1);
    await indexes.finish();
  });
});
