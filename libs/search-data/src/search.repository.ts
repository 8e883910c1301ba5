import { MetadataFilter, SearchMode, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { VectorIndexCatalog, sqlLiteral, vectorCast } from '@datafactory/db';

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

export interface SearchTuning {
  efSearch: number;
  maxScanTuples: number;
}

export interface ChunkSearch {
  scope: ChunkScope;
  mode: SearchMode;
  /** The query embedding; required unless mode is keyword. */
  vector: VectorQuery | null;
  /** The user's query text (web-search syntax), for the full-text candidates. */
  text: string;
  /** How deep to look into each candidate list. */
  candidates: number;
  topK: number;
  tuning: SearchTuning;
}

export interface ChunkHit {
  id: string;
  docId: string;
  text: string;
  metadata: Record<string, unknown>;
  /** vector: 1 - cosine distance; keyword: ts_rank_cd; hybrid: reciprocal rank fusion. */
  score: number;
}

export interface ChunkSearchResult {
  hits: ChunkHit[];
  /** Distinct candidates ranked (bounded by the candidate limit), not every match in the namespace. */
  totalFound: number;
}

/** The usual constant of reciprocal rank fusion (Cormack et al., 2009): damps the head of each list. */
export const RRF_K = 60;

/**
 * The read side of chunks. A search is one SQL statement: vector candidates (with the exact fallback),
 * full-text candidates, their fusion and the chunk texts all come from that statement's snapshot, so a
 * concurrent re-upsert is seen entirely or not at all (docs/adr/0012).
 *
 * Plans must not depend on fresh statistics (autovacuum may be off, autoanalyze lags bulk loads). On a
 * never-analysed table the planner believes `tenant_id = $1 AND namespace = $2` matches a handful of rows
 * and picks the scope btree, then sorts the whole namespace. So each query writes the predicates that must
 * not drive the plan as `(…) IS TRUE`, which no index matches:
 * - vector: scope and metadata filter, leaving the scope's HNSW index as the only way to order by distance (the
 *   index's own predicate names the scope through an expression no btree has, VectorIndexCatalog.predicateSql);
 * - keyword: `deleted_at IS NULL`, so the partial btree and partial GIN indexes do not apply and the scoped
 *   GIN `(tenant_id, namespace, tsv)` (migration 1763960000000) is the only index left.
 */
export class SearchRepository {
  /**
   * @param sessionTuning the HNSW settings every connection of `ds` already has (see `sessionSettings`);
   *   a search with other settings sets them in a transaction of its own. Without it, every search does.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly sessionTuning?: SearchTuning,
  ) {}

  /**
   * Connection settings for a pool that serves searches. Iterative index scans (pgvector >= 0.8) keep
   * scanning the HNSW graph until enough rows pass the tenant/namespace/metadata filters.
   */
  static sessionSettings(tuning: SearchTuning): Record<string, string> {
    return {
      'hnsw.ef_search': String(tuning.efSearch),
      'hnsw.iterative_scan': 'strict_order',
      'hnsw.max_scan_tuples': String(tuning.maxScanTuples),
    };
  }

  async search(tenantId: TenantId, q: ChunkSearch): Promise<ChunkSearchResult> {
    const { sql, params } = searchSql(tenantId, q);
    const session = this.sessionTuning;
    const rows: SearchRow[] =
      session && session.efSearch === q.tuning.efSearch && session.maxScanTuples === q.tuning.maxScanTuples
        ? await this.ds.query(sql, params)
        : await this.ds.transaction(async (em) => {
            const settings = Object.entries(SearchRepository.sessionSettings(q.tuning));
            await em.query(
              `SELECT ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
              settings.flat(),
            );
            return em.query(sql, params) as Promise<SearchRow[]>;
          });
    return {
      hits: rows.map((r) => ({ id: r.id, docId: r.doc_id, text: r.text, metadata: r.metadata, score: Number(r.score) })),
      totalFound: Number(rows[0]?.total ?? 0),
    };
  }
}

interface SearchRow {
  id: string;
  doc_id: string;
  text: string;
  metadata: Record<string, unknown>;
  score: number | string;
  total: string;
}

/** The one statement of a search; exported for the plan tests. */
export function searchSql(tenantId: TenantId, q: ChunkSearch): { sql: string; params: unknown[] } {
  const params: unknown[] = [tenantId, q.scope.namespace];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const limit = `${param(q.candidates)}::int`;
  const filters = filterClauses(q.scope.filter, params);
  const plain = filters.map((c) => ` AND ${c}`).join('');
  const ctes: string[] = [];

  const useVector = q.mode !== 'keyword';
  const useKeyword = q.mode !== 'vector';
  if (useVector) {
    if (!q.vector) throw new Error(`a ${q.mode} search needs the query vector`);
    ctes.push(...vectorCtes(tenantId, q.scope.namespace, q.vector, param(q.vector.vector), limit, filters));
  }
  if (useKeyword) {
    // English stemming, web-search syntax, ranked by ts_rank_cd; keyword mode sees every embedding version.
    ctes.push(
      `kw AS MATERIALIZED (
         SELECT c.id, ts_rank_cd(c.tsv, tq) AS value FROM chunks c, websearch_to_tsquery('english', ${param(q.text)}) tq
          WHERE c.tenant_id = $1 AND c.namespace = $2 AND (c.deleted_at IS NULL) IS TRUE AND c.tsv @@ tq${plain}
          ORDER BY value DESC, c.id LIMIT ${limit})`,
    );
  }
  // vector: 1 - cosine distance; keyword: ts_rank_cd; hybrid: the sum of 1 / (RRF_K + rank) over the lists
  // a chunk appears in. Ties break on id, so results are stable.
  const fused =
    q.mode === 'vector'
      ? `SELECT id, 1 - value AS score FROM vec`
      : q.mode === 'keyword'
        ? `SELECT id, value AS score FROM kw`
        : `SELECT id, sum(1::float8 / (${RRF_K} + r)) AS score
             FROM (SELECT id, row_number() OVER (ORDER BY value, id) AS r FROM vec
                   UNION ALL SELECT id, row_number() OVER (ORDER BY value DESC, id) AS r FROM kw) lists
            GROUP BY id`;
  ctes.push(
    `fused AS (${fused})`,
    `top AS (SELECT id, score, count(*) OVER () AS total FROM fused ORDER BY score DESC, id LIMIT ${param(q.topK)}::int)`,
  );
  const sql = `WITH ${ctes.join(',\n')}
    SELECT t.id, t.score, t.total, c.doc_id, c.text, c.metadata
      FROM top t JOIN chunks c ON c.id = t.id AND c.tenant_id = $1
     ORDER BY t.score DESC, t.id`;
  return { sql, params };
}

/**
 * Vector candidates. `ann` goes through the scope's HNSW index (same expression and partial predicate as the index)
 * when it exists and is valid, a one-time filter; until then, after an upgrade, through the shared per-version
 * index of earlier releases, if that still exists (ADR 0014). `exact` runs only when `ann` yields fewer rows than
 * asked for (a selective filter, or no index), so a filter never hides hits: the uncast column does not match the
 * expression index, so Postgres computes exact distances.
 */
function vectorCtes(tenantId: TenantId, namespace: string, v: VectorQuery, vector: string, limit: string, filters: string[]): string[] {
  const cast = vectorCast(v.dimensions);
  const version = sqlLiteral(v.embeddingVersion);
  const fenced = filters.map((c) => ` AND (${c}) IS TRUE`).join('');
  const plain = filters.map((c) => ` AND ${c}`).join('');
  const scope = { tenantId, namespace, embeddingVersion: v.embeddingVersion };
  const nearest = (where: string): string =>
    `(SELECT c.id, c.embedding::${cast} <=> ${vector}::${cast} AS value FROM chunks c
        WHERE ${where} AND (c.tenant_id = $1) IS TRUE AND (c.namespace = $2) IS TRUE${fenced}
        ORDER BY c.embedding::${cast} <=> ${vector}::${cast} LIMIT ${limit})`;
  const scoped = VectorIndexCatalog.isValidSql(scope);
  return [
    `ann AS MATERIALIZED (
       ${nearest(`${scoped} AND ${VectorIndexCatalog.predicateSql(scope, 'c')}`)}
       UNION ALL
       ${nearest(`NOT ${scoped} AND ${VectorIndexCatalog.legacyIsValidSql(v.embeddingVersion)} AND c.embedding_version = ${version} AND c.deleted_at IS NULL`)})`,
    `exact AS MATERIALIZED (
       SELECT c.id, c.embedding <=> ${vector}::vector AS value FROM chunks c
        WHERE c.tenant_id = $1 AND c.namespace = $2 AND c.embedding_version = ${version} AND c.deleted_at IS NULL${plain}
          AND (SELECT count(*) FROM ann) < ${limit}
        ORDER BY c.embedding <=> ${vector}::vector, c.id LIMIT ${limit})`,
    `vec AS (SELECT id, value FROM ann WHERE (SELECT count(*) FROM ann) >= ${limit} UNION ALL SELECT id, value FROM exact)`,
  ];
}

/**
 * Metadata equality filter as jsonb containment: scalars must match; an array matches any of its
 * elements. Values travel as parameters, never as SQL text. One clause per key group.
 */
export function filterClauses(filter: MetadataFilter | undefined, params: unknown[]): string[] {
  if (!filter) return [];
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
  return clauses;
}

/** `filterClauses` as `AND …` SQL text. */
export function filterSql(filter: MetadataFilter | undefined, params: unknown[]): string {
  return filterClauses(filter, params)
    .map((c) => ` AND ${c}`)
    .join('');
}
