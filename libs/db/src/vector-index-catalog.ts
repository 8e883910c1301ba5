import { createHash } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { sqlLiteral } from './vector-sql';

/** What one HNSW index covers: the live chunks of one namespace of one tenant, embedded with one version. */
export interface VectorIndexScope {
  tenantId: string;
  namespace: string;
  embeddingVersion: string;
  dimensions: number;
}

export interface VectorIndexInfo {
  name: string;
  dimensions: number;
  exists: boolean;
  valid: boolean;
  sizeBytes: number;
}

type ScopeName = Pick<VectorIndexScope, 'tenantId' | 'namespace' | 'embeddingVersion'>;

/**
 * How the per-scope HNSW indexes are named and which predicate they carry (docs/adr/0014), and what the catalog
 * says about one: read-only, shared by the search (which names the predicate so its query can use the index) and
 * by ingest's VectorIndexRepository (which builds and drops them).
 *
 * The scope is written as one expression, {@link scopeKeySql}, so the search can name it without also matching
 * the scope btree (see SearchRepository).
 */
export class VectorIndexCatalog {
  constructor(private readonly ds: DataSource) {}

  static indexName(scope: ScopeName): string {
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
  static predicateSql(scope: ScopeName, alias?: string): string {
    return (
      `${VectorIndexCatalog.scopeKeySql(alias)} = ${sqlLiteral(VectorIndexCatalog.scopeKey(scope.tenantId, scope.namespace))}` +
      ` AND ${column(alias, 'embedding_version')} = ${sqlLiteral(scope.embeddingVersion)} AND ${column(alias, 'deleted_at')} IS NULL`
    );
  }

  /** True when the scope's index exists and may be used; evaluated once per statement. */
  static isValidSql(scope: ScopeName): string {
    return validIndexSql(VectorIndexCatalog.indexName(scope));
  }

  /** The shared index of one embedding version that releases before per-scope indexes built (`chunks_hnsw_` + 16 hex). */
  static legacyIndexName(embeddingVersion: string): string {
    return `chunks_hnsw_${createHash('sha256').update(embeddingVersion).digest('hex').slice(0, 16)}`;
  }

  /** True while that shared index exists and is valid (an upgraded database, until the sweep drops it). */
  static legacyIsValidSql(embeddingVersion: string): string {
    return validIndexSql(VectorIndexCatalog.legacyIndexName(embeddingVersion));
  }

  async describe(scope: VectorIndexScope): Promise<VectorIndexInfo> {
    const name = VectorIndexCatalog.indexName(scope);
    const row = await this.state(name);
    return { name, dimensions: scope.dimensions, exists: !!row, valid: row?.valid ?? false, sizeBytes: row?.sizeBytes ?? 0 };
  }

  async state(name: string, runner?: QueryRunner): Promise<{ valid: boolean; sizeBytes: number } | undefined> {
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
