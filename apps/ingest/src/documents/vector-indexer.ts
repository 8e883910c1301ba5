import { VectorIndexCatalog } from '@datafactory/db';
import { TenantId } from '@datafactory/contracts';
import { VectorIndexOutcome, VectorIndexRepository } from '@datafactory/ingest-data';
import { EmbeddingProvider } from '@datafactory/embedding';
import { EMBEDDING_PROVIDER } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';

/** A scope below the threshold is counted again after this long at the earliest (single writes only). */
const RECHECK_MS = 5_000;
/** A scope known to have its index is checked again after this long (someone may have dropped the index). */
const INDEXED_RECHECK_MS = 5 * 60_000;
/** Scopes that should have an index and have none (a cancelled load, a failed build) are looked for this often. */
const SWEEP_EVERY_MS = 10 * 60_000;
/** A job waits at most this long for its scope's index; the build goes on after it completes. */
const JOB_WAIT_MS = 2 * 60_000;
/** Remembered scopes; past this the memory is cleared (it is only a cache). */
const MAX_REMEMBERED = 10_000;

/**
 * Gives each scope (tenant, namespace, current embedding version) its HNSW index once it holds
 * VECTOR_INDEX_MIN_CHUNKS live chunks (docs/adr/0014). A batch job waits for it before it completes (at most
 * JOB_WAIT_MS, and never failing because of it), so a completed job's documents are normally served by the index;
 * a single write starts the build in the background. Until then searches of the scope are exact.
 *
 * Builds run one at a time per process, in order, so waiting builds hold no database connection. At start and
 * every SWEEP_EVERY_MS, scopes left without an index are built; after the first full sweep the shared
 * per-version indexes of earlier releases are dropped.
 */
@Injectable()
export class VectorIndexer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('vector-index');
  /** Scopes found indexed, and when. */
  private readonly indexed = new Map<string, number>();
  private readonly checkedAt = new Map<string, number>();
  private readonly running = new Map<string, Promise<VectorIndexOutcome>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stopping = new AbortController();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly indexes: VectorIndexRepository,
    private readonly metrics: Metrics,
    @Inject(EMBEDDING_PROVIDER) private readonly embedder: EmbeddingProvider,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = (): void => void this.sweep().catch((err: unknown) => this.logger.error(`index sweep failed: ${String(err)}`));
    sweep();
    this.sweeper = setInterval(sweep, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.stopping.abort(); // queued builds are skipped; the one running stops waiting for its lock
  }

  /** Builds the scope's index if it is due (after any build queued before it) and resolves with what happened. */
  ensure(tenantId: TenantId, namespace: string): Promise<VectorIndexOutcome> {
    const key = VectorIndexCatalog.scopeKey(tenantId, namespace);
    if (this.knownIndexed(key)) return Promise.resolve('exists');
    let run = this.running.get(key);
    if (!run) {
      run = this.enqueue(() => this.build(tenantId, namespace)).finally(() => this.running.delete(key));
      run.then((outcome) => this.remember(key, outcome)).catch(() => undefined);
      this.running.set(key, run);
    }
    return run;
  }

  /** After a single write: {@link ensure} in the background, at most every few seconds per scope. */
  ensureSoon(tenantId: TenantId, namespace: string): void {
    const key = VectorIndexCatalog.scopeKey(tenantId, namespace);
    if (this.knownIndexed(key) || this.running.has(key) || Date.now() - (this.checkedAt.get(key) ?? 0) < RECHECK_MS) return;
    this.ensure(tenantId, namespace).catch((err: unknown) => this.logger.warn(`index of ${key} not built: ${String(err)}`));
  }

  /**
   * For a job that has written its documents: waits until the scope's index is built (or found, or not due), for at
   * most JOB_WAIT_MS and only until the worker shuts down. A failed build is logged, never thrown: the documents are
   * written and searchable (exactly); the sweep builds the index later.
   */
  async awaitIndex(tenantId: TenantId, namespace: string, shouldStop: () => boolean): Promise<void> {
    let settled = false;
    const build = this.ensure(tenantId, namespace).then(
      () => undefined,
      (err: unknown) => this.logger.warn(`index of ${VectorIndexCatalog.scopeKey(tenantId, namespace)} not built: ${String(err)}`),
    );
    void build.finally(() => (settled = true));
    const deadline = Date.now() + JOB_WAIT_MS;
    while (!settled && !shouldStop() && Date.now() < deadline) await Promise.race([build, delay(250)]);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      this.stopping.signal.throwIfAborted();
      return task();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async build(tenantId: TenantId, namespace: string): Promise<VectorIndexOutcome> {
    const scope = { tenantId, namespace, embeddingVersion: this.embedder.version, dimensions: this.embedder.dimensions };
    const minChunks = this.config.VECTOR_INDEX_MIN_CHUNKS;
    // Cheap and lock-free first: most calls are for scopes that are still small.
    if ((await this.indexes.liveChunks(scope, minChunks)) < minChunks) return 'too_small';
    const stop = this.metrics.vectorIndexBuilds.startTimer();
    try {
      const build = {
        minChunks,
        m: this.config.VECTOR_INDEX_M,
        efConstruction: this.config.VECTOR_INDEX_EF_CONSTRUCTION,
        buildMemory: this.config.VECTOR_INDEX_BUILD_MEMORY,
      };
      const outcome = await this.indexes.ensure(scope, build, this.stopping.signal);
      if (outcome === 'built') {
        const seconds = stop({ outcome }).toFixed(1);
        this.logger.log(`built ${VectorIndexCatalog.indexName(scope)} for ${tenantId}/${namespace} in ${seconds} s`);
      }
      return outcome;
    } catch (err) {
      stop({ outcome: 'failed' });
      throw err;
    }
  }

  private remember(key: string, outcome: VectorIndexOutcome): void {
    if (this.indexed.size + this.checkedAt.size > MAX_REMEMBERED) {
      this.indexed.clear();
      this.checkedAt.clear();
    }
    if (outcome === 'too_small') this.checkedAt.set(key, Date.now());
    else this.indexed.set(key, Date.now());
  }

  private knownIndexed(key: string): boolean {
    return Date.now() - (this.indexed.get(key) ?? -Infinity) < INDEXED_RECHECK_MS;
  }

  private async sweep(): Promise<void> {
    const scopes = await this.indexes.unindexedScopes(this.embedder.version, this.config.VECTOR_INDEX_MIN_CHUNKS);
    for (const { tenantId, namespace } of scopes) await this.ensure(tenantId as TenantId, namespace);
    const dropped = await this.indexes.dropLegacyIndexes();
    if (dropped.length > 0) this.logger.log(`dropped the shared per-version indexes ${dropped.join(', ')}: every scope has its own`);
  }
}
