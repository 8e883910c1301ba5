import { ErasureScope, TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { Queryable, returningRows } from '@datafactory/db';

export interface ErasureRow {
  id: string;
  tenantId: TenantId;
  scope: ErasureScope;
  namespace: string | null;
  docId: string | null;
  subjectHash: string | null;
  dryRun: boolean;
  status: 'pending' | 'running' | 'completed' | 'failed';
  jobId: string | null;
  requestedBy: string;
  requestedAt: Date;
  completedAt: Date | null;
  certificate: Record<string, unknown> | null;
}

export interface ErasureTarget {
  /** `ids`: the given document rows (retention); the others as requested by an erasure. */
  scope: ErasureScope | 'ids';
  documentIds?: string[];
  namespace: string | null;
  docId: string | null;
  subjectId: string | null;
}

export interface StoreCount {
  store: string;
  count: number;
}

/** Serialises writes of a tenant against its erasures: writes share the lock, an erasure takes it alone. */
export const erasureLockKey = (tenantId: string) => `datafactory:erasure:${tenantId}`;

function toRow(r: Record<string, unknown>): ErasureRow {
  return {
    id: r['id'] as string,
    tenantId: r['tenant_id'] as TenantId,
    scope: r['scope'] as ErasureScope,
    namespace: (r['namespace'] as string | null) ?? null,
    docId: (r['doc_id'] as string | null) ?? null,
    subjectHash: (r['subject_hash'] as string | null) ?? null,
    dryRun: Boolean(r['dry_run']),
    status: r['status'] as ErasureRow['status'],
    jobId: (r['job_id'] as string | null) ?? null,
    requestedBy: r['requested_by'] as string,
    requestedAt: r['requested_at'] as Date,
    completedAt: (r['completed_at'] as Date | null) ?? null,
    certificate: (r['certificate'] as Record<string, unknown> | null) ?? null,
  };
}

/** The documents an erasure covers, as a SQL predicate over `documents d` (parameters $1 tenant, $2 namespace, $3 doc id, $4 subject). */
const TARGET = `d.tenant_id = $1::uuid AND (
    ($5::text = 'tenant')
 OR ($5::text = 'namespace' AND d.namespace = $2::text)
 OR ($5::text = 'document' AND d.namespace = $2::text AND d.doc_id = $3::text)
 OR ($5::text = 'subject' AND $4::text = ANY(d.subject_ids))
 OR ($5::text = 'ids' AND d.id = ANY($6::bigint[])))`;

/** Job items that mention what the erasure covers (by document or by subject), over `job_items ji JOIN jobs j`. */
const ITEMS = `j.tenant_id = $1::uuid AND (
    ($5::text = 'tenant')
 OR ($5::text = 'namespace' AND j.namespace = $2::text)
 OR ($5::text = 'document' AND j.namespace = $2::text AND ji.doc_id = $3::text)
 OR ($5::text = 'ids' AND (j.namespace, ji.doc_id) IN (SELECT d.namespace, d.doc_id FROM documents d WHERE ${TARGET}))
 OR ($5::text = 'subject' AND (ji.body -> 'subject_ids' ? $4::text
      OR (j.namespace, ji.doc_id) IN (SELECT d.namespace, d.doc_id FROM documents d WHERE ${TARGET}))))`;

/** Cache entries produced only by covered chunks (no chunk outside the target shares the text), over `embedding_cache ec`. */
const CACHE = `ec.chunk_hash IN (SELECT c.chunk_hash FROM chunks c JOIN documents d ON d.id = c.document_id WHERE ${TARGET})
  AND NOT EXISTS (SELECT 1 FROM chunks o JOIN documents od ON od.id = o.document_id
                   WHERE o.chunk_hash = ec.chunk_hash AND NOT (${TARGET.replaceAll('d.', 'od.')}))`;

/**
 * Stored idempotent responses that name a covered document (or anything, for tenant scope), over `idempotency_keys k`.
 * Matched by doc_id alone (a DELETE response carries no namespace): removing a few extra cached responses is harmless.
 */
const IDEMPOTENCY = `k.scope = 'tenant:' || $1::uuid::text AND (
    ($5::text = 'tenant')
 OR ($5::text = 'namespace' AND k.response_body ->> 'namespace' = $2::text)
 OR ($5::text IN ('document', 'subject', 'ids') AND k.response_body ->> 'doc_id' IN (SELECT d.doc_id FROM documents d WHERE ${TARGET})))`;

/**
 * Every place an erasure removes data from, as (store, count query). The same queries run before (what
 * is there), after (what is left: must be 0) and are printed in the certificate.
 */
export const ERASURE_STORES: ReadonlyArray<{ store: string; count: string }> = [
  { store: 'postgres.documents', count: `SELECT count(*)::int AS n FROM documents d WHERE ${TARGET}` },
  { store: 'postgres.chunks', count: `SELECT count(*)::int AS n FROM chunks c JOIN documents d ON d.id = c.document_id WHERE ${TARGET}` },
  { store: 'postgres.embedding_cache', count: `SELECT count(*)::int AS n FROM embedding_cache ec WHERE ${CACHE}` },
  {
    store: 'postgres.job_items',
    count: `SELECT count(*)::int AS n FROM job_items ji JOIN jobs j ON j.id = ji.job_id WHERE ${ITEMS} AND ji.body <> '{}'::jsonb`,
  },
  { store: 'postgres.idempotency_keys', count: `SELECT count(*)::int AS n FROM idempotency_keys k WHERE ${IDEMPOTENCY}` },
];

const params = (tenantId: TenantId, t: ErasureTarget): unknown[] => [
  tenantId,
  t.namespace,
  t.docId,
  t.subjectId,
  t.scope,
  t.documentIds ?? [],
];

export class ErasureRepository {
  constructor(private readonly ds: DataSource) {}

  async create(
    tenantId: TenantId,
    e: {
      scope: ErasureScope;
      namespace: string | null;
      docId: string | null;
      subjectHash: string | null;
      dryRun: boolean;
      requestedBy: string;
    },
    q: Queryable = this.ds,
  ): Promise<ErasureRow> {
    const rows = (await q.query(
      `INSERT INTO erasure_requests (tenant_id, scope, namespace, doc_id, subject_hash, dry_run, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [tenantId, e.scope, e.namespace, e.docId, e.subjectHash, e.dryRun, e.requestedBy],
    )) as Array<Record<string, unknown>>;
    return toRow(rows[0] as Record<string, unknown>);
  }

  connection(): Queryable {
    return this.ds;
  }

  async attachJob(id: string, jobId: string, q: Queryable = this.ds): Promise<void> {
    await q.query(`UPDATE erasure_requests SET job_id = $2 WHERE id = $1`, [id, jobId]);
  }

  async get(tenantId: TenantId | null, id: string): Promise<ErasureRow | null> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT e.*, j.status AS job_status FROM erasure_requests e LEFT JOIN jobs j ON j.id = e.job_id
        WHERE e.id = $1 AND ($2::uuid IS NULL OR e.tenant_id = $2)`,
      [id, tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    const erasure = toRow(row);
    // A job that ended without completing the erasure (dead-lettered, failed, cancelled) means the erasure failed.
    const jobEnded = ['failed', 'dead_lettered', 'cancelled'].includes(String(row['job_status']));
    return erasure.status !== 'completed' && jobEnded ? { ...erasure, status: 'failed' } : erasure;
  }

  async setStatus(id: string, status: ErasureRow['status'], certificate?: Record<string, unknown>): Promise<void> {
    await this.ds.query(
      `UPDATE erasure_requests SET status = $2, certificate = coalesce($3::jsonb, certificate),
              completed_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() ELSE completed_at END WHERE id = $1`,
      [id, status, certificate ? JSON.stringify(certificate) : null],
    );
  }

  /**
   * Records the tombstone under the tenant's exclusive erasure lock: writes already in progress finish
   * first, writes that start later see it, so nothing accepted before the erasure can bring the data back.
   */
  async tombstone(e: ErasureRow): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [erasureLockKey(e.tenantId)]);
      await em.query(
        `INSERT INTO erasure_tombstones (tenant_id, erasure_id, namespace, doc_id, subject_hash) VALUES ($1, $2, $3, $4, $5)`,
        [e.tenantId, e.id, e.scope === 'tenant' ? null : e.namespace, e.docId, e.subjectHash],
      );
    });
  }

  /** Counts per store for the target (the same queries are the verification after erasing). */
  async countStores(q: Queryable, tenantId: TenantId, t: ErasureTarget): Promise<StoreCount[]> {
    const out: StoreCount[] = [];
    for (const s of ERASURE_STORES) {
      const rows = (await q.query(s.count, params(tenantId, t))) as Array<{ n: number }>;
      out.push({ store: s.store, count: rows[0]?.n ?? 0 });
    }
    return out;
  }

  /** Deletes everything the target covers, in one transaction, under the tenant's exclusive erasure lock. */
  async erase(tenantId: TenantId, t: ErasureTarget): Promise<number> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [erasureLockKey(tenantId)]);
      const p = params(tenantId, t);
      // Everything that refers to the covered documents first; the documents (and, by cascade, chunks) last.
      await em.query(`DELETE FROM embedding_cache ec WHERE ${CACHE}`, p);
      // Items a batch still has to run keep their place (the job must end, counting them failed) but lose their content.
      await em.query(
        `UPDATE job_items ji SET body = '{}'::jsonb, status = 'failed',
                error = '{"code":"document_erased","message":"covered by an erasure before it was written"}'::jsonb
           FROM jobs j WHERE j.id = ji.job_id AND ji.status = 'pending' AND ${ITEMS}`,
        p,
      );
      await em.query(
        `DELETE FROM job_items ji USING jobs j WHERE j.id = ji.job_id AND ji.status <> 'pending' AND ji.body <> '{}'::jsonb AND ${ITEMS}`,
        p,
      );
      await em.query(`DELETE FROM idempotency_keys k WHERE ${IDEMPOTENCY}`, p);
      const docs = await returningRows<{ id: string }>(em, `DELETE FROM documents d WHERE ${TARGET} RETURNING d.id`, p);
      return docs.length;
    });
  }

  /** Cache entries no chunk refers to any more (superseded texts): removed with every erasure. */
  async purgeUnreferencedEmbeddings(): Promise<number> {
    const rows = await returningRows<{ chunk_hash: string }>(
      this.ds,
      `DELETE FROM embedding_cache ec WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.chunk_hash = ec.chunk_hash AND c.embedding_version = ec.embedding_version) RETURNING ec.chunk_hash`,
      [],
    );
    return rows.length;
  }
}
