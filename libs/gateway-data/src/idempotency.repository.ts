import { DataSource } from 'typeorm';
import { returningRows } from '@datafactory/db';

export type IdempotencyBegin =
  { kind: 'new' } | { kind: 'replay'; status: number; body: unknown } | { kind: 'in_progress' } | { kind: 'mismatch' };

/**
 * Idempotency records of the gateway: the first request with a key runs, later ones with the same key and
 * request get the stored response; the same key with a different request is refused.
 */
export class IdempotencyRepository {
  constructor(private readonly ds: DataSource) {}

  async begin(scope: string, key: string, requestHash: string, ttlSeconds: number): Promise<IdempotencyBegin> {
    // An expired record no longer binds its key.
    await this.ds.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at < now()`, [scope, key]);
    const inserted: Array<{ key: string }> = await this.ds.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, state, expires_at)
       VALUES ($1, $2, $3, 'in_progress', now() + ($4::int * interval '1 second'))
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, requestHash, ttlSeconds],
    );
    if (inserted.length > 0) return { kind: 'new' };
    const rows: Array<{ request_hash: string; state: string; response_status: number | null; response_body: unknown }> =
      await this.ds.query(
        `SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [scope, key],
      );
    const row = rows[0];
    if (!row) return this.begin(scope, key, requestHash, ttlSeconds); // expired and deleted in between
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.state !== 'completed') return { kind: 'in_progress' };
    return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.ds.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $3, response_body = $4::jsonb WHERE scope = $1 AND key = $2`,
      [scope, key, status, JSON.stringify(body ?? null)],
    );
  }

  /** Releases a key whose request failed in a way worth retrying (5xx), so the retry can run. */
  async abandon(scope: string, key: string): Promise<void> {
    await this.ds.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND state = 'in_progress'`, [scope, key]);
  }

  async purgeExpired(limit = 1000): Promise<number> {
    const rows = await returningRows<{ key: string }>(
      this.ds,
      `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT $1) RETURNING key`,
      [limit],
    );
    return rows.length;
  }
}
