import { AppError, ErrorCode, JobEventType, JobStatus, JobType, TenantId, isTerminal } from '@datafactory/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { Queryable, returningRows } from '@datafactory/db';
import { JobEventRow, JobRow, NewJob, appendJobEvent, toJob } from './job-row';

/**
 * Jobs, their events, staged items and outbox rows: the job state machine's only writer. Every status
 * change is an allowed transition (the UPDATE matches only the allowed "from" states) and appends a
 * job event in the same transaction. Worker-side writes are fenced by the attempt's lease token.
 */
export class JobsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Creates the job, its staged documents and its outbox row in one transaction: `tx` when given (the caller's
   * own rows commit with the job), else a transaction of its own. With an idempotency key, the same key and
   * request return the existing job; the same key with another request is refused. Services create jobs
   * through JobService (`@datafactory/jobs`), which owns the attempt count and the queue check.
   */
  async create(tenantId: TenantId, job: NewJob, tx?: EntityManager): Promise<{ job: JobRow; created: boolean }> {
    return tx ? this.insert(tx, tenantId, job) : this.ds.transaction((em) => this.insert(em, tenantId, job));
  }

  private async insert(em: EntityManager, tenantId: TenantId, job: NewJob): Promise<{ job: JobRow; created: boolean }> {
    const inserted: Array<Record<string, unknown>> = await em.query(
      `INSERT INTO jobs (tenant_id, type, status, queue, priority, namespace, params, total, max_attempts,
                           idempotency_key, request_hash, trace_context)
         VALUES ($1, $2, 'queued', $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)
         ON CONFLICT ON CONSTRAINT jobs_tenant_idempotency_key DO NOTHING
         RETURNING *`,
      [
        tenantId,
        job.type,
        job.queue,
        job.priority,
        job.namespace,
        JSON.stringify(job.params ?? {}),
        job.documents?.length ?? 0,
        job.maxAttempts,
        job.idempotencyKey ?? null,
        job.requestHash ?? null,
        job.traceContext ?? null,
      ],
    );
    const row = inserted[0];
    if (!row) {
      const existing: Array<Record<string, unknown>> = await em.query(`SELECT * FROM jobs WHERE tenant_id = $1 AND idempotency_key = $2`, [
        tenantId,
        job.idempotencyKey,
      ]);
      const found = existing[0] as Record<string, unknown>;
      if (found['request_hash'] !== (job.requestHash ?? null)) {
        throw new AppError(ErrorCode.IdempotencyKeyReused, 'this Idempotency-Key was already used with a different request; use a new key');
      }
      return { job: toJob(found), created: false };
    }
    const created = toJob(row);
    if (job.documents && job.documents.length > 0) {
      await em.query(
        `INSERT INTO job_items (job_id, ordinal, doc_id, body)
           SELECT $1, t.ordinal - 1, t.doc_id, t.body::jsonb FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(doc_id, body, ordinal)`,
        [created.id, job.documents.map((d) => d.doc_id), job.documents.map(({ doc_id: _, ...body }) => JSON.stringify(body))],
      );
    }
    await em.query(`INSERT INTO outbox (job_id, queue, generation) VALUES ($1, $2, 0)`, [created.id, created.queue]);
    return { job: created, created: true };
  }

  async get(tenantId: TenantId | null, jobId: string): Promise<JobRow | null> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT * FROM jobs WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2)`,
      [jobId, tenantId],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Newest first; keyset cursor (created_at, id). */
  async list(
    tenantId: TenantId,
    q: { status?: JobStatus; type?: JobType; limit: number; before?: { createdAt: string; id: string } },
  ): Promise<JobRow[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT * FROM jobs WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR type = $3)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $6`,
      [tenantId, q.status ?? null, q.type ?? null, q.before?.createdAt ?? null, q.before?.id ?? null, q.limit + 1],
    );
    return rows.map(toJob);
  }

  async events(tenantId: TenantId | null, jobId: string, afterSeq: number, limit = 500): Promise<JobEventRow[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT e.job_id, e.seq, e.type, e.data, e.created_at FROM job_events e JOIN jobs j ON j.id = e.job_id
        WHERE e.job_id = $1 AND ($2::uuid IS NULL OR j.tenant_id = $2) AND e.seq > $3 ORDER BY e.seq LIMIT $4`,
      [jobId, tenantId, afterSeq, limit],
    );
    return rows.map((r) => ({
      jobId: r['job_id'] as string,
      seq: Number(r['seq']),
      type: r['type'] as JobEventType,
      data: r['data'] as Record<string, unknown>,
      createdAt: r['created_at'] as Date,
    }));
  }

  /**
   * Cancels a job. A queued or retrying job (no worker on it) ends `cancelled` at once; a running one gets
   * `cancel_requested` and its worker stops between documents.
   */
  async cancel(tenantId: TenantId, jobId: string): Promise<{ job: JobRow; immediate: boolean; seq: number }> {
    return this.ds.transaction(async (em) => {
      const locked: Array<Record<string, unknown>> = await em.query(`SELECT * FROM jobs WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [
        jobId,
        tenantId,
      ]);
      if (!locked[0]) throw new AppError(ErrorCode.JobNotFound, `no job ${jobId}`);
      const job = toJob(locked[0]);
      if (isTerminal(job.status)) throw new AppError(ErrorCode.JobNotCancellable, `job ${jobId} has already ended (${job.status})`);
      if (job.status === 'queued' || job.status === 'retrying') {
        const rows = await returningRows<Record<string, unknown>>(
          em,
          `UPDATE jobs SET status = 'cancelled', cancel_requested = true, finished_at = now(), updated_at = now(), lease_token = NULL
            WHERE id = $1 RETURNING *`,
          [jobId],
        );
        await em.query(`UPDATE job_items SET body = '{}'::jsonb WHERE job_id = $1 AND body <> '{}'::jsonb`, [jobId]);
        const seq = await appendJobEvent(em, jobId, 'cancelled', { reason: 'cancelled before it ran' });
        return { job: toJob(rows[0] as Record<string, unknown>), immediate: true, seq };
      }
      if (job.cancelRequested) return { job, immediate: false, seq: 0 };
      const rows = await returningRows<Record<string, unknown>>(
        em,
        `UPDATE jobs SET cancel_requested = true, updated_at = now() WHERE id = $1 RETURNING *`,
        [jobId],
      );
      const seq = await appendJobEvent(em, jobId, 'cancel_requested');
      return { job: toJob(rows[0] as Record<string, unknown>), immediate: false, seq };
    });
  }

  /** Puts a dead-lettered job back on its queue as a new generation (a fresh set of attempts). */
  async replay(tenantId: TenantId | null, jobId: string): Promise<JobRow> {
    return this.ds.transaction(async (em) => {
      const rows = await returningRows<Record<string, unknown>>(
        em,
        `UPDATE jobs SET status = 'queued', generation = generation + 1, error = NULL, finished_at = NULL, cancel_requested = false,
                lease_token = NULL, updated_at = now()
          WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2) AND status = 'dead_lettered' RETURNING *`,
        [jobId, tenantId],
      );
      if (!rows[0]) throw new AppError(ErrorCode.DeadLetterNotFound, `no dead-lettered job ${jobId}`);
      const job = toJob(rows[0]);
      await em.query(`UPDATE dead_letters SET replayed_at = now() WHERE job_id = $1`, [jobId]);
      await em.query(`INSERT INTO outbox (job_id, queue, generation) VALUES ($1, $2, $3)`, [jobId, job.queue, job.generation]);
      return job;
    });
  }

  /** Unfinished jobs whose last change is older than `idleMs` and whose outbox rows are all published. */
  async stale(idleMs: number, limit: number): Promise<JobRow[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT j.* FROM jobs j
        WHERE j.status IN ('queued', 'running', 'retrying') AND j.updated_at < now() - ($1::int * interval '1 millisecond')
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.job_id = j.id AND o.published_at IS NULL)
        ORDER BY j.updated_at LIMIT $2`,
      [idleMs, limit],
    );
    return rows.map(toJob);
  }

  /** Marks a job as looked at by the reconciler, so it is not checked again right away. */
  async touch(jobId: string): Promise<void> {
    await this.ds.query(`UPDATE jobs SET updated_at = now() WHERE id = $1`, [jobId]);
  }

  /** Jobs of a queue by status (all tenants when `tenantId` is null) and the age of the oldest queued one. */
  async queueCounts(
    queue: string,
    tenantId: TenantId | null,
  ): Promise<{ queued: number; running: number; retrying: number; failed: number; oldestQueuedSeconds: number | null }> {
    const rows: Array<{ queued: number; running: number; retrying: number; failed: number; oldest: number | null }> = await this.ds.query(
      `SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued, count(*) FILTER (WHERE status = 'running')::int AS running,
              count(*) FILTER (WHERE status = 'retrying')::int AS retrying, count(*) FILTER (WHERE status = 'failed')::int AS failed,
              extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'queued'))::float AS oldest
         FROM jobs WHERE queue = $1 AND ($2::uuid IS NULL OR tenant_id = $2)`,
      [queue, tenantId],
    );
    const r = rows[0];
    return {
      queued: r?.queued ?? 0,
      running: r?.running ?? 0,
      retrying: r?.retrying ?? 0,
      failed: r?.failed ?? 0,
      oldestQueuedSeconds: r?.oldest ?? null,
    };
  }

  /**
   * Where a queued job stands among its tenant's own waiting jobs (higher priority first, then oldest):
   * computed per tenant so no tenant learns how busy the queue is for others.
   */
  async queuePosition(jobId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.ds.query(
      `SELECT count(*)::int + 1 AS n FROM jobs o JOIN jobs j ON j.id = $1
        WHERE o.tenant_id = j.tenant_id AND o.queue = j.queue AND o.id <> j.id AND o.status = 'queued'
          AND (o.priority, o.created_at) < (j.priority, j.created_at)`,
      [jobId],
    );
    return rows[0]?.n ?? 1;
  }

  /** Appends an event to a job outside of a transition (e.g. `queued` with its position), under the job's lock. */
  async recordEvent(q: Queryable, jobId: string, type: JobEventType, data: Record<string, unknown>): Promise<number> {
    await q.query(`SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE`, [jobId]);
    return appendJobEvent(q, jobId, type, data);
  }

  /** Removes the raw subject id from the erasure job's parameters once it is no longer needed. */
  async scrubJobParams(jobId: string): Promise<void> {
    await this.ds.query(`UPDATE jobs SET params = params - 'subject_id' WHERE id = $1`, [jobId]);
  }

  connection(): Queryable {
    return this.ds;
  }

  /** Runs `fn` in a transaction (used by handlers that write documents and settle items together). */
  transaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}
