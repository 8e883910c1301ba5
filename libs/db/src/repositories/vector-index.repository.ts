import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sqlLiteral, vectorCast } from '../vector-sql';

export interface VectorIndexInfo {
  name: string;
  dimensions: number;
  exists: boolean;
  valid: boolean;
  sizeBytes: number;
}

/**
 * One HNSW (cosine) index per embedding version: a partial expression index over
 * `embedding::vector(<dims>)`, so versions with different dimensions share the `chunks` table.
 */
export class VectorIndexRepository {
  constructor(private readonly ds: DataSource) {}

  static indexName(embeddingVersion: string): string {
    return `chunks_hnsw_${createHash('sha256').update(embeddingVersion).digest('hex').slice(0, 16)}`;
  }

  /** Idempotent; serialised across services with an advisory lock so two starts do not race. */
  async ensure(embeddingVersion: string, dimensions: number): Promise<string> {
    const name = VectorIndexRepository.indexName(embeddingVersion);
    await this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`datafactory:hnsw:${embeddingVersion}`]);
      await em.query(
        `CREATE INDEX IF NOT EXISTS ${name} ON chunks USING hnsw ((embedding::${vectorCast(dimensions)}) vector_cosine_ops)
          WHERE embedding_version = ${sqlLiteral(embeddingVersion)} AND deleted_at IS NULL`,
      );
    });
    return name;
  }

  async describe(embeddingVersion: string, dimensions: number): Promise<VectorIndexInfo> {
    const name = VectorIndexRepository.indexName(embeddingVersion);
    const rows: Array<{ valid: boolean; size: string }> = await this.ds.query(
      `SELECT i.indisvalid AS valid, pg_relation_size(i.indexrelid)::text AS size
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`,
      [name],
    );
    const row = rows[0];
    return { name, dimensions, exists: !!row, valid: row?.valid ?? false, sizeBytes: row ? Number(row.size) : 0 };
  }
}
