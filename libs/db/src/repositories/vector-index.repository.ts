import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource, QueryRunner } from 'typeorm';
import { sqlLiteral, vectorCast } from '../vector-sql';

/** What one HNSW index covers: the live chunks of one namespace of one tenant, embedded with one version. */
export interface VectorIndexScope {
  tenantId: string;
  namespace: string;
  embeddingVersion: string;
  dimensions: number;
}

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

export interface VectorIndexInfo {
  name: string;
  dimensions: number;
  exists: boolean;
  valid: boolean;
  sizeBytes: number;
}

const BUILD_LOCK = 'datafactory:hnsw-build';
const BUILD_LOCK_POLL_MS = 100;
/** How long a build may wait for older transactions (and a DROP for its lock) before it fails and is retried. */
const BUILD_LOCK_TIMEOUT = '10min';

/** Per-version indexes of releases before 0.4 (one index shared by every tenant); dropped once scopes have their own. */
const LEGACY_NAME = /^chunks_hnsw_[0-9a-f]{16}$/; // VectorIndexRepository.legacyIndexName

/**
 * One HNSW (cosine) index per scope: a partial expression index over `embedding::vector(<dims>)` whose predicate
 * names the tenant, the namespace and the embedding version (docs/adr/0014). A query therefore searches a graph
 * that holds only its own scope, and a large batch into a new scope is indexed once, in bulk (a parallel build),
 * instead of row by row while it loads. Small scopes have no index: they are searched exactly.
 *
 * The scope is written as one expression, {@link scopeKeySql}, so the search can name it without also matching
 * the scope btree (see SearchRepository).
 */
export class VectorIndexRepository {
  constructor(private readonly ds: DataSource) {}

  static indexName(scope: Pick<VectorIndexScope, 'tenantId' | 'namespace' | 'embeddingVersion'>): string {
    const tenantId = scope.tenantId.toLowerCase(); // as `tenant_id::text` prints it
    const digest = createHash('sha256').update(`${tenantId}\u0000${scope.namespace}\u0000${scope.embeddingVersion}`).digest('hex');
    return `chunks_hnsw_${digest.slice(0, 24)}`;
  }

  /** `tenant_id::text || '/' || namespace`: unambiguous, as a uuid's text has a fixed length. */
  static scopeKeySql(alias?: string): string {
    return `(${column(alias, 'tenant_id')}::text || '/' || ${column(alias, 'namespace')})`;
  }

  /** The value of {@link scopeKeySql} for a scope: the tenant id as `tenant_id::text` prints it (lower case). */
  static scopeKey(tenantId: string, namespace: string): string {
    return `${tenantId.toLowerCase()}/${namespace}`;
  }

  /** The index's predicate; a query that writes the same conjuncts can use the index. */
  static predicateSql(scope: Pick<VectorIndexScope, 'tenantId' | 'namespace' | 'embeddingVersion'>, alias?: string): string {
    return (
      `${VectorIndexRepository.scopeKeySql(alias)} = ${sqlLiteral(VectorIndexRepository.scopeKey(scope.tenantId, scope.namespace))}` +
      ` AND ${column(alias, 'embedding_version')} = ${sqlLiteral(scope.embeddingVersion)} AND ${column(alias, 'deleted_at')} IS NULL`
    );
  }

  /** True when the scope's index exists and may be used; evaluated once per statement. */
  static isValidSql(scope: Pick<VectorIndexScope, 'tenantId' | 'namespace' | 'embeddingVersion'>): string {
    return validIndexSql(VectorIndexRepository.indexName(scope));
  }

  /** The shared index of one embedding version that releases before per-scope indexes built (`chunks_hnsw_` + 16 hex). */
  static legacyIndexName(embeddingVersion: string): string {
    return `chunks_hnsw_${createHash('sha256').update(embeddingVersion).digest('hex').slice(0, 16)}`;
  }

  /** True while that shared index exists and is valid (an upgraded database, until the sweep drops it). */
  static legacyIsValidSql(embeddingVersion: string): string {
    return validIndexSql(VectorIndexRepository.legacyIndexName(embeddingVersion));
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
    const name = VectorIndexRepository.indexName(scope);
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
    const state = await this.state(name, runner);
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
           WHERE ${VectorIndexRepository.predicateSql(scope)}`,
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
      if (!(await this.state(VectorIndexRepository.indexName({ tenantId, namespace, embeddingVersion })))?.valid)
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
      namespace === null
        ? `'${VectorIndexRepository.scopeKey(tenantId, '')}`
        : sqlLiteral(VectorIndexRepository.scopeKey(tenantId, namespace));
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

  async describe(scope: VectorIndexScope): Promise<VectorIndexInfo> {
    const name = VectorIndexRepository.indexName(scope);
    const row = await this.state(name);
    return { name, dimensions: scope.dimensions, exists: !!row, valid: row?.valid ?? false, sizeBytes: row?.sizeBytes ?? 0 };
  }

  private async state(name: string, runner?: QueryRunner): Promise<{ valid: boolean; sizeBytes: number } | undefined> {
    const rows: Array<{ valid: boolean; size: string }> = await (runner ?? this.ds).query(
      `SELECT i.indisvalid AS valid, pg_relation_size(i.indexrelid)::text AS size FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
      [name],
    );
    const row = rows[0];
    return row ? { valid: row.valid, sizeBytes: Number(row.size) } : undefined;
  }
}

function column(alias: string | undefined, name: string): string {
  return alias ? `${alias}.${name}` : name;
}

function validIndexSql(name: string): string {
  return `(SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(${sqlLiteral(name)})) IS TRUE`;
}

function int(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`expected a positive integer, got ${value}`);
  return value;
}
