import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A full-text GIN index keyed by scope: `(tenant_id, namespace, tsv)` through btree_gin (a trusted contrib
 * extension). The keyword query reads only its namespace's postings instead of every tenant's, and is written
 * so that this is the only index it can use: its plan no longer depends on statistics (docs/adr/0012).
 * Not partial: the query's `deleted_at IS NULL` is fenced off from the partial indexes on purpose.
 * Built CONCURRENTLY (outside a transaction) so writes to `chunks` continue while it builds; IF NOT EXISTS
 * makes a re-run after an interrupted build a no-op (an interrupted build leaves an invalid index: drop it first).
 */
export class ScopedFullTextIndex1763960000000 implements MigrationInterface {
  name = 'ScopedFullTextIndex1763960000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS chunks_scope_tsv_idx ON chunks USING gin (tenant_id, namespace, tsv)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS chunks_scope_tsv_idx`);
  }
}
