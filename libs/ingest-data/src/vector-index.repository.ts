import { setTimeout as delay } from 'node:timers/promises';
import { DataSource, QueryRunner } from 'typeorm';
import { sqlLiteral, vectorCast, VectorIndexCatalog, VectorIndexScope } from '@datafactory/db';

/** How a scope's index is built. */
export interface VectorIndexBuild {
  /** A scope with fewer live chunks gets no index: an exact scan of it is fast and has perfect recall. */
  minChunks: number;
  m: number;
  efConstruction: number;
  /** `maintenance_work_mem` of the build; the graph should fit in it, or the build slows down many times. */
  buildMemory: string;
}

export type VectorIndexOutcome = 'exists' | 'built' | 'too_small';

const BUILD_LOCK = 'datafactory:hnsw-build';
const BUILD_LOCK_POLL_MS = 100;
/** How long a build may wait for older transactions (and a DROP for its lock) before it fails and is retried. */
const BUILD_LOCK_TIMEOUT = '10min';

/** Per-version indexes of releases before 0.4 (one index shared by every tenant); dropped once scopes have their own. */
const LEGACY_NAME = /^chunks_hnsw_[0-9a-f]{16}$/; // VectorIndexCatalog.legacyIndexName

/**
 * Builds and drops the per-scope HNSW indexes (docs/adr/0014): a partial expression index over
 * `embedding::vector(<dims>)` whose predicate names the tenant, the namespace and the embedding version
 * ({@link VectorIndexCatalog}). A query therefore searches a graph that holds only its own scope, and a large batch
 * into a new scope is indexed once, in bulk (a parallel build), instead of row by row while it loads. Small scopes
 * have no index: they are searched exactly.
 */
export class VectorIndexRepository {
  private readonly catalog: VectorIndexCatalog;

  constructor(private readonly ds: DataSource) {
    this.catalog = new VectorIndexCatalog(ds);
  }

  /**
   * Builds the scope's index unless it exists or the scope is below `minChunks`. CONCURRENTLY, so writes to
   * `chunks` (every tenant's) go on during the build. One build at a time (Postgres runs one CONCURRENTLY build
   * per table anyway), under a session advisory lock: a second caller waits, then finds the index. It waits by
   * polling `pg_try_advisory_lock`, never inside a statement: a build waits for every transaction older than
   * itself, so a session blocked in `pg_advisory_lock` would deadlock with it. An invalid index (a build that
   * was interrupted) is dropped and built again.
   */
  async ensure(scope: VectorIndexScope, build: VectorIndexBuild, signal?: AbortSignal): Promise<VectorIndexOutcome> {
    const name = VectorIndexCatalog.indexName(scope);
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await this.lockBuilds(runner, signal);
      try {
        return await this.ensureLocked(runner, scope, name, build);
      } finally {
        // The connection goes back to the pool: it must not keep the lock, or every later build would wait on it.
        await runner
          .query(`SELECT pg_advisory_unlock(hashtext($1))`, [BUILD_LOCK])
          .catch(() => runner.query(`SELECT pg_advisory_unlock_all()`));
      }
    } finally {
      await runner.release();
    }
  }

  private async lockBuilds(runner: QueryRunner, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const rows = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [BUILD_LOCK])) as Array<{ locked: boolean }>;
      if (rows[0]?.locked) return;
      await delay(BUILD_LOCK_POLL_MS, undefined, signal ? { signal } : undefined);
    }
  }

  private async ensureLocked(
    runner: QueryRunner,
    scope: VectorIndexScope,
    name: string,
    build: VectorIndexBuild,
  ): Promise<VectorIndexOutcome> {
    const state = await this.catalog.state(name, runner);
    if (state?.valid) return 'exists';
    if (!state && (await this.liveChunks(scope, build.minChunks, runner)) < build.minChunks) return 'too_small';
    // A build of a large scope takes minutes: the pool's statement timeout is for queries, not for this. A build
    // also waits for every older transaction; lock_timeout bounds that wait (the build then fails and is retried).
    await runner.query(
      `SELECT set_config('maintenance_work_mem', $1, false), set_config('statement_timeout', '0', false),
              set_config('lock_timeout', $2, false)`,
      [build.buildMemory, BUILD_LOCK_TIMEOUT],
    );
    try {
      if (state) await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`); // left invalid by an interrupted build
      if (state && (await this.liveChunks(scope, build.minChunks, runner)) < build.minChunks) return 'too_small';
      await runner.query(
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON chunks
           USING hnsw ((embedding::${vectorCast(scope.dimensions)}) vector_cosine_ops)
           WITH (m = ${int(build.m)}, ef_construction = ${int(build.efConstruction)})
           WHERE ${VectorIndexCatalog.predicateSql(scope)}`,
      );
    } finally {
      await runner.query(`RESET maintenance_work_mem; RESET statement_timeout; RESET lock_timeout`);
    }
    return 'built';
  }

  /** Live chunks of the scope, counted up to `limit`. */
  async liveChunks(scope: Omit<VectorIndexScope, 'dimensions'>, limit: number, runner?: QueryRunner): Promise<number> {
    const rows: Array<{ n: number }> = await (runner ?? this.ds).query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM chunks
         WHERE tenant_id = $1 AND namespace = $2 AND embedding_version = $3 AND deleted_at IS NULL LIMIT $4) s`,
      [scope.tenantId, scope.namespace, scope.embeddingVersion, limit],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Scopes of a version with at least `minChunks` live chunks and no valid index (the sweep builds them). One scan
   * of `chunks`, so without the pool's statement timeout; the index states are read one scope at a time.
   */
  async unindexedScopes(embeddingVersion: string, minChunks: number): Promise<Array<{ tenantId: string; namespace: string }>> {
    const rows = await this.ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = 0`);
      return (await tx.query(
        `SELECT tenant_id, namespace FROM chunks WHERE embedding_version = $1 AND deleted_at IS NULL
          GROUP BY tenant_id, namespace HAVING count(*) >= $2 ORDER BY tenant_id, namespace`,
        [embeddingVersion, minChunks],
      )) as Array<{ tenant_id: string; namespace: string }>;
    });
    const missing: Array<{ tenantId: string; namespace: string }> = [];
    for (const { tenant_id: tenantId, namespace } of rows) {
      if (!(await this.catalog.state(VectorIndexCatalog.indexName({ tenantId, namespace, embeddingVersion })))?.valid)
        missing.push({ tenantId, namespace });
    }
    return missing;
  }

  /**
   * The indexes of a tenant's namespace (every embedding version), or of all its namespaces when `namespace` is
   * null: their definitions name the tenant and the namespace, so an erasure of either drops them.
   */
  async scopeIndexes(tenantId: string, namespace: string | null): Promise<string[]> {
    // The predicate as Postgres prints it holds the scope key as a quoted literal: '<tenant>/<namespace>'::text.
    const needle =
      namespace === null ? `'${VectorIndexCatalog.scopeKey(tenantId, '')}` : sqlLiteral(VectorIndexCatalog.scopeKey(tenantId, namespace));
    const rows: Array<{ name: string }> = await this.ds.query(
      `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = to_regclass('chunks') AND c.relname ~ '^chunks_hnsw_[0-9a-f]{24}$'
          AND position($1 IN pg_get_expr(i.indpred, i.indrelid)) > 0 ORDER BY 1`,
      [needle],
    );
    return rows.map((r) => r.name);
  }

  /** Drops {@link scopeIndexes}; returns how many there were and how many are left. */
  async dropScopeIndexes(tenantId: string, namespace: string | null): Promise<{ before: number; after: number }> {
    const names = await this.scopeIndexes(tenantId, namespace);
    for (const name of names) await this.ds.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    return { before: names.length, after: (await this.scopeIndexes(tenantId, namespace)).length };
  }

  /** Drops the shared per-version indexes of earlier releases; returns their names. */
  async dropLegacyIndexes(): Promise<string[]> {
    const rows: Array<{ name: string }> = await this.ds.query(
      `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = to_regclass('chunks') AND c.relname LIKE 'chunks\\_hnsw\\_%'`,
    );
    const legacy = rows.map((r) => r.name).filter((name) => LEGACY_NAME.test(name));
    for (const name of legacy) await this.ds.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    return legacy;
  }

  describe(scope: VectorIndexScope): ReturnType<VectorIndexCatalog['describe']> {
    return this.catalog.describe(scope);
  }
}

function int(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`expected a positive integer, got ${value}`);
  return value;
}
