import { JobError, JobType, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';

export interface DeadLetterRow {
  jobId: string;
  tenantId: string;
  type: JobType;
  namespace: string;
  queue: string;
  error: JobError;
  attempts: number;
  createdAt: Date;
}

export class DeadLettersRepository {
  constructor(private readonly ds: DataSource) {}

  /** Not yet replayed, newest first; `tenantId` null lists every tenant's (admin). */
  async list(tenantId: TenantId | null, limit: number, before?: { createdAt: string; jobId: string }): Promise<DeadLetterRow[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT d.job_id, d.tenant_id, j.type, j.namespace, d.queue, d.error, d.attempts, d.created_at
         FROM dead_letters d JOIN jobs j ON j.id = d.job_id
        WHERE d.replayed_at IS NULL AND ($1::uuid IS NULL OR d.tenant_id = $1)
          AND ($2::timestamptz IS NULL OR (d.created_at, d.job_id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.job_id DESC LIMIT $4`,
      [tenantId, before?.createdAt ?? null, before?.jobId ?? null, limit + 1],
    );
    return rows.map((r) => ({
      jobId: r['job_id'] as string,
      tenantId: r['tenant_id'] as string,
      type: r['type'] as JobType,
      namespace: r['namespace'] as string,
      queue: r['queue'] as string,
      error: r['error'] as JobError,
      attempts: Number(r['attempts']),
      createdAt: r['created_at'] as Date,
    }));
  }

  async count(tenantId: TenantId | null, queue: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.ds.query(
      `SELECT count(*)::int AS n FROM dead_letters WHERE replayed_at IS NULL AND queue = $2 AND ($1::uuid IS NULL OR tenant_id = $1)`,
      [tenantId, queue],
    );
    return rows[0]?.n ?? 0;
  }
}
