import { MetadataFilter, TenantId } from '@datafactory/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { sqlLiteral, vectorCast } from '../vector-sql';

export interface ChunkScope {
  namespace: string;
  filter?: MetadataFilter;
}

export interface VectorQuery {
  embeddingVersion: string;
  dimensions: number;
  /** pgvector literal of the query embedding. */
  vector: string;
}

export interface RankedChunk {
  id: string;
  /** vector: cosine distance; keyword: ts_rank_cd. */
  value: number;
}

export interface ChunkHit {
  id: string;
  docId: string;
  text: string;
  metadata: Record<string, unknown>;
}

export interface SearchTuning {
  efSearch: number;
  maxScanTuples: number;
}

/**
 * The read side of chunks. All reads of one search run in one read-only REPEATABLE READ transaction:
 * candidates and the chunk texts come from the same snapshot, so a concurrent re-upsert is seen
 * entirely or not at all.
 */
export class SearchRepository {
  constructor(private readonly ds: DataSource) {}

  snapshot<T>(tenantId: TenantId, tuning: SearchTuning, work: (reader: SnapshotReader) => Promise<T>): Promise<T> {
    return this.ds.transaction('REPEATABLE READ', async (em) => {
      await em.query(`SET TRANSACTION READ ONLY`);
      // Iterative index scans (pgvector >= 0.8) keep scanning the HNSW graph until enough rows pass the
      // tenant/namespace/metadata filters, instead of returning fewer hits than exist.
      await em.query(`SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'strict_order', true),
                             set_config('hnsw.max_scan_tuples', $2, true)`, [String(tuning.efSearch), String(tuning.maxScanTuples)]);
      return work(new SnapshotReader(em, tenantId));
    });
  }
}

export class SnapshotReader {
  constructor(
    private readonly em: EntityManager,
    private readonly tenantId: TenantId,
  ) {}

  /**
   * Nearest chunks by cosine distance through the version's HNSW index. When the index yields fewer
   * rows than asked for, repeats the query exactly (no index), so a selective filter never silently
   * hides hits that exist.
   */
  async nearest(scope: ChunkScope, q: VectorQuery, limit: number): Promise<RankedChunk[]> {
    const cast = vectorCast(q.dimensions);
    const params: unknown[] = [this.tenantId, scope.namespace, q.vector, limit];
    const where = `c.tenant_id = $1 AND c.namespace = $2 AND c.embedding_version = ${sqlLiteral(q.embeddingVersion)}
                   AND c.deleted_at IS NULL${filterSql(scope.filter, params)}`;
    const viaIndex: Array<{ id: string; distance: number }> = await this.em.query(
      `SELECT c.id, (c.embedding::${cast} <=> $3::${cast}) AS distance FROM chunks c
        WHERE ${where} ORDER BY c.embedding::${cast} <=> $3::${cast} LIMIT $4`,
      params,
    );
    if (viaIndex.length >= limit) return viaIndex.map((r) => ({ id: r.id, value: Number(r.distance) }));
    // Uncast column: the expression index does not match, so Postgres computes exact distances.
    const exact: Array<{ id: string; distance: number }> = await this.em.query(
      `SELECT c.id, (c.embedding <=> $3::vector) AS distance FROM chunks c
        WHERE ${where} ORDER BY c.embedding <=> $3::vector, c.id LIMIT $4`,
      params,
    );
    return exact.map((r) => ({ id: r.id, value: Number(r.distance) }));
  }

  /** Full-text matches (English stemming, web-search syntax) ranked by ts_rank_cd. */
  async keyword(scope: ChunkScope, query: string, limit: number): Promise<RankedChunk[]> {
    const params: unknown[] = [this.tenantId, scope.namespace, query, limit];
    const rows: Array<{ id: string; rank: number }> = await this.em.query(
      `SELECT c.id, ts_rank_cd(c.tsv, q) AS rank
         FROM chunks c, websearch_to_tsquery('english', $3) q
        WHERE c.tenant_id = $1 AND c.namespace = $2 AND c.deleted_at IS NULL AND c.tsv @@ q${filterSql(scope.filter, params)}
        ORDER BY rank DESC, c.id LIMIT $4`,
      params,
    );
    return rows.map((r) => ({ id: r.id, value: Number(r.rank) }));
  }

  async chunks(ids: string[]): Promise<Map<string, ChunkHit>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; doc_id: string; text: string; metadata: Record<string, unknown> }> = await this.em.query(
      `SELECT id, doc_id, text, metadata FROM chunks WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`,
      [this.tenantId, ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, docId: r.doc_id, text: r.text, metadata: r.metadata }]));
  }
}

/**
 * Metadata equality filter as jsonb containment (served by the GIN index): scalars must match;
 * an array matches any of its elements. Values travel as parameters, never as SQL text.
 */
export function filterSql(filter: MetadataFilter | undefined, params: unknown[]): string {
  if (!filter) return '';
  const scalars: Record<string, unknown> = {};
  const clauses: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (Array.isArray(value)) {
      const anyOf = value.map((v) => {
        params.push(JSON.stringify({ [key]: v }));
        return `c.metadata @> $${params.length}::jsonb`;
      });
      clauses.push(`(${anyOf.join(' OR ')})`);
    } else {
      scalars[key] = value;
    }
  }
  if (Object.keys(scalars).length > 0) {
    params.push(JSON.stringify(scalars));
    clauses.unshift(`c.metadata @> $${params.length}::jsonb`);
  }
  return clauses.map((c) => ` AND ${c}`).join('');
}
