import { TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';

export interface NamespaceCounts {
  documents: number;
  chunks: number;
  deleted: number;
}

export class IndexStatsRepository {
  constructor(private readonly ds: DataSource) {}

  async counts(tenantId: TenantId, namespace: string): Promise<NamespaceCounts> {
    const rows: Array<{ documents: string; deleted: string; chunks: string }> = await this.ds.query(
      `SELECT count(*) FILTER (WHERE status = 'active')::text AS documents,
              count(*) FILTER (WHERE status = 'deleted')::text AS deleted,
              coalesce(sum(chunk_count) FILTER (WHERE status = 'active'), 0)::text AS chunks
         FROM documents WHERE tenant_id = $1 AND namespace = $2`,
      [tenantId, namespace],
    );
    const r = rows[0];
    return { documents: Number(r?.documents ?? 0), chunks: Number(r?.chunks ?? 0), deleted: Number(r?.deleted ?? 0) };
  }
}
