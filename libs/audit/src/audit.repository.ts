import { TenantId } from '@datafactory/contracts';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface AuditEventInput {
  tenantId: string | null;
  /** `admin`, `key:<key id>` or `system:<component>`. */
  actor: string;
  action: string;
  target: string | null;
  requestId: string | null;
  traceId: string | null;
  /** Never document content: ids, counts, hashes, statuses. */
  details: Record<string, unknown>;
}

export interface AuditEventRow extends AuditEventInput {
  seq: number;
  createdAt: string;
  prevHash: string;
  hash: string;
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  firstBadSeq: number | null;
  firstBadTenantId: string | null;
}

const GENESIS = '0'.repeat(64);
const CHAIN_LOCK = 'datafactory:audit-chain';

/** Stable JSON: keys sorted at every level (the hash must not depend on key order). */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash of a row: SHA-256 over the previous hash and every field, in a fixed form. */
export function auditHash(prevHash: string, e: Omit<AuditEventRow, 'hash' | 'prevHash'>): string {
  const body = stable({
    seq: e.seq,
    tenant_id: e.tenantId,
    actor: e.actor,
    action: e.action,
    target: e.target,
    request_id: e.requestId,
    trace_id: e.traceId,
    details: e.details,
    created_at: e.createdAt,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

interface Record_ {
  seq: string;
  tenant_id: string | null;
  actor: string;
  action: string;
  target: string | null;
  request_id: string | null;
  trace_id: string | null;
  details: Record<string, unknown>;
  created_at: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = `seq, tenant_id, actor, action, target, request_id, trace_id, details,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, prev_hash, hash`;

function toRow(r: Record_): AuditEventRow {
  return {
    seq: Number(r.seq),
    tenantId: r.tenant_id,
    actor: r.actor,
    action: r.action,
    target: r.target,
    requestId: r.request_id,
    traceId: r.trace_id,
    details: r.details,
    createdAt: r.created_at,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * The audit chain. Appends are serialised (advisory lock) so the chain never forks; the table refuses
 * UPDATE and DELETE. Listing is tenant-scoped (null = every tenant, for the admin token).
 */
export class AuditRepository {
  constructor(private readonly ds: DataSource) {}

  async append(e: AuditEventInput): Promise<AuditEventRow> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [CHAIN_LOCK]);
      const last: Array<{ seq: string; hash: string }> = await em.query(`SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1`);
      const prevHash = last[0]?.hash ?? GENESIS;
      const seq = Number(last[0]?.seq ?? 0) + 1;
      const createdAt = new Date().toISOString();
      const row = { ...e, seq, createdAt };
      const hash = auditHash(prevHash, row);
      await em.query(
        `INSERT INTO audit_events (seq, tenant_id, actor, action, target, request_id, trace_id, details, created_at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::timestamptz, $10, $11)`,
        [seq, e.tenantId, e.actor, e.action, e.target, e.requestId, e.traceId, JSON.stringify(e.details), createdAt, prevHash, hash],
      );
      return { ...row, prevHash, hash };
    });
  }

  async list(
    tenantId: TenantId | null,
    q: { action?: string; since?: string; afterSeq?: number; limit: number },
  ): Promise<AuditEventRow[]> {
    const rows: Record_[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM audit_events
        WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR action = $2)
          AND ($3::timestamptz IS NULL OR created_at >= $3) AND seq > $4
        ORDER BY seq LIMIT $5`,
      [tenantId, q.action ?? null, q.since ?? null, q.afterSeq ?? 0, q.limit + 1],
    );
    return rows.map(toRow);
  }

  /** Recomputes every hash in order; the first row that does not match (or breaks the links) is reported. */
  async verify(batchSize = 5_000): Promise<ChainVerification> {
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows: Record_[] = await this.ds.query(`SELECT ${COLUMNS} FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2`, [
        expectedSeq,
        batchSize,
      ]);
      if (rows.length === 0) return { valid: true, checked, firstBadSeq: null, firstBadTenantId: null };
      for (const r of rows.map(toRow)) {
        const ok = r.seq === expectedSeq && r.prevHash === prevHash && auditHash(prevHash, r) === r.hash;
        if (!ok) return { valid: false, checked, firstBadSeq: r.seq === expectedSeq ? r.seq : expectedSeq, firstBadTenantId: r.tenantId };
        prevHash = r.hash;
        expectedSeq++;
        checked++;
      }
    }
  }
}
