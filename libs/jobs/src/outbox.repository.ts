import { JobType, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';

export interface OutboxMessage {
  outboxId: string;
  jobId: string;
  tenantId: TenantId;
  type: JobType;
  queue: string;
  priority: number;
  maxAttempts: number;
  generation: number;
  traceContext: string | null;
  status: string;
}

/**
 * The transactional outbox: rows written with their job, published to the queue by the relay. Rows are
 * locked while publishing (SKIP LOCKED), so several relays never publish the same row concurrently, and a
 * row is marked published only after the queue accepted it (at-least-once; the deterministic queue job id
 * makes a second publish a no-op).
 */
export class OutboxRepository {
  constructor(private readonly ds: DataSource) {}

  async publishPending(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows: Array<Record<string, unknown>> = await em.query(
        `SELECT o.id AS outbox_id, o.job_id, o.queue, o.generation, j.tenant_id, j.type, j.priority, j.max_attempts, j.trace_context, j.status
           FROM outbox o JOIN jobs j ON j.id = o.job_id
          WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(
        rows.map((r) => ({
          outboxId: String(r['outbox_id']),
          jobId: r['job_id'] as string,
          tenantId: r['tenant_id'] as TenantId,
          type: r['type'] as JobType,
          queue: r['queue'] as string,
          priority: Number(r['priority']),
          maxAttempts: Number(r['max_attempts']),
          generation: Number(r['generation']),
          traceContext: (r['trace_context'] as string | null) ?? null,
          status: r['status'] as string,
        })),
      );
      await em.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => String(r['outbox_id']))]);
      return rows.length;
    });
  }

  /** Age of the oldest unpublished row (seconds), for lag monitoring; null when none. */
  async lagSeconds(): Promise<number | null> {
    const rows: Array<{ lag: number | null }> = await this.ds.query(
      `SELECT extract(epoch FROM now() - min(created_at))::float AS lag FROM outbox WHERE published_at IS NULL`,
    );
    return rows[0]?.lag ?? null;
  }
}
