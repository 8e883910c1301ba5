import { TenantId } from '@datafactory/contracts';
import { VectorIndexOutcome, VectorIndexRepository } from '@datafactory/db';
import { EmbeddingProvider } from '@datafactory/embedding';
import { EMBEDDING_PROVIDER } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';

/** A scope below the threshold is counted again after this long at the earliest (single writes only). */
const RECHECK_MS = 5_000;
/** A scope known to have its index is checked again after this long (someone may have dropped the index). */
const INDEXED_RECHECK_MS = 5 * 60_000;
/** Remembered scopes; past this the memory is cleared (it is only a cache). */
const MAX_REMEMBERED = 10_000;

/**
 * Gives each scope (tenant, namespace, current embedding version) its HNSW index once it holds
 * VECTOR_INDEX_MIN_CHUNKS live chunks (docs/adr/0014). A batch job builds it before it completes, so a
 * completed job's documents are served by the index; a single write starts the build in the background.
 * Until then searches of the scope are exact. At start, scopes left without an index (a crash during a
 * build, an upgrade from the shared per-version index) are built, then the shared indexes are dropped.
 */
@Injectable()
export class VectorIndexer implements OnApplicationBootstrap {
  private readonly logger = new Logger('vector-index');
  /** Scopes found indexed, and when. */
  private readonly indexed = new Map<string, number>();
  private readonly checkedAt = new Map<string, number>();
  private readonly running = new Map<string, Promise<VectorIndexOutcome>>();

  constructor(
    private readonly indexes: VectorIndexRepository,
    private readonly metrics: Metrics,
    @Inject(EMBEDDING_PROVIDER) private readonly embedder: EmbeddingProvider,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep().catch((err: unknown) => this.logger.error(`start-up index sweep failed: ${String(err)}`));
  }

  /** Builds the scope's index if it is due and waits for it (or for the build already running). */
  async ensure(tenantId: TenantId, namespace: string): Promise<VectorIndexOutcome> {
    const key = `${tenantId}/${namespace}`;
    if (this.knownIndexed(key)) return 'exists';
    let run = this.running.get(key);
    if (!run) {
      run = this.build(tenantId, namespace).finally(() => this.running.delete(key));
      this.running.set(key, run);
    }
    const outcome = await run;
    this.remember(key, outcome);
    return outcome;
  }

  /** After a single write: the same as {@link ensure}, in the background and at most every few seconds per scope. */
  ensureSoon(tenantId: TenantId, namespace: string): void {
    const key = `${tenantId}/${namespace}`;
    if (this.knownIndexed(key) || this.running.has(key) || Date.now() - (this.checkedAt.get(key) ?? 0) < RECHECK_MS) return;
    this.ensure(tenantId, namespace).catch((err: unknown) => this.logger.warn(`index of ${key} not built: ${String(err)}`));
  }

  private async build(tenantId: TenantId, namespace: string): Promise<VectorIndexOutcome> {
    const scope = { tenantId, namespace, embeddingVersion: this.embedder.version, dimensions: this.embedder.dimensions };
    // Cheap and lock-free first: most calls are for scopes that are still small.
    if ((await this.indexes.liveChunks(scope, this.config.VECTOR_INDEX_MIN_CHUNKS)) < this.config.VECTOR_INDEX_MIN_CHUNKS)
      return 'too_small';
    const stop = this.metrics.vectorIndexBuilds.startTimer();
    try {
      const outcome = await this.indexes.ensure(scope, {
        minChunks: this.config.VECTOR_INDEX_MIN_CHUNKS,
        m: this.config.VECTOR_INDEX_M,
        efConstruction: this.config.VECTOR_INDEX_EF_CONSTRUCTION,
        buildMemory: this.config.VECTOR_INDEX_BUILD_MEMORY,
      });
      if (outcome === 'built')
        this.logger.log(
          `built ${VectorIndexRepository.indexName(scope)} for ${tenantId}/${namespace} in ${stop({ outcome }).toFixed(1)} s`,
        );
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
