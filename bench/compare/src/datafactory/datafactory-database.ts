/**
 * What the bench reads from DataFactory's database directly, because the API does not expose it:
 * the exact top 10 (recall of the ANN index), the chunk count of a filter, and the bytes per chunk.
 * Written against the `chunks` table of the migrations; if its shape changes, these fail loudly and the
 * run reports the measure as missing.
 */
import { Client } from 'pg';
import { toVectorLiteral } from '../../../../libs/db/src/vector-sql';
import { bytesPer100kRows } from '../postgres';

export interface Scope {
  tenantId: string;
  namespace: string;
  embeddingVersion: string;
}

/**
 * Brute-force cosine top-k over the namespace's chunks. The ORDER BY is on `embedding::vector`, an
 * expression no index is built on, and index scans are off, so no ANN index can answer it.
 */
export async function exactTopK(client: Client, scope: Scope, vector: readonly number[], k: number): Promise<string[]> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL enable_indexscan = off');
    const result = await client.query<{ id: string }>(
      `SELECT id::text AS id FROM chunks
        WHERE tenant_id = $1 AND namespace = $2 AND embedding_version = $3 AND deleted_at IS NULL
        ORDER BY embedding::vector <=> $4::vector, id
        LIMIT $5`,
      [scope.tenantId, scope.namespace, scope.embeddingVersion, toVectorLiteral(vector), k],
    );
    return result.rows.map((r) => r.id);
  } finally {
    await client.query('COMMIT');
  }
}

/** Chunks of the namespace matching a metadata filter, and all of them (for the selectivity). */
export async function filterCounts(
  client: Client,
  scope: Omit<Scope, 'embeddingVersion'>,
  filter: Record<string, number>,
): Promise<{ matching: number; total: number }> {
  const result = await client.query<{ matching: string; total: string }>(
    `SELECT count(*) FILTER (WHERE metadata @> $3::jsonb)::text AS matching, count(*)::text AS total
       FROM chunks WHERE tenant_id = $1 AND namespace = $2 AND deleted_at IS NULL`,
    [scope.tenantId, scope.namespace, JSON.stringify(filter)],
  );
  return { matching: Number(result.rows[0]?.matching ?? 0), total: Number(result.rows[0]?.total ?? 0) };
}

/** The chunks table (every tenant of the run's database) with its indexes, per 100k chunks. */
export async function chunkStorage(client: Client): Promise<{ rows: number; bytes: number; bytes_per_100k: number | null }> {
  return bytesPer100kRows(client, 'chunks');
}
