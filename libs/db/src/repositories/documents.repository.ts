import { AppError, ErrorCode, TenantId } from '@datafactory/contracts';
import { erasureLockKey } from './erasure.repository';
import { DataSource, EntityManager } from 'typeorm';
import { DocumentStatus } from '../entities';
import { returningRows } from '../returning-rows';

export interface DocumentState {
  id: string;
  status: DocumentStatus;
  docHash: string;
  metaHash: string;
  embeddingVersion: string;
  chunkCount: number;
  version: number;
  piiCounts: Record<string, number>;
}

export interface DocumentRow {
  namespace: string;
  docId: string;
  title: string | null;
  metadata: Record<string, unknown>;
  subjectIds: string[];
  status: DocumentStatus;
  docHash: string;
  chunkCount: number;
  tokenCount: number;
  embeddingVersion: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  piiCounts: Record<string, number>;
}

export interface DocumentWithText extends DocumentRow {
  text: string;
  chunkHashes: string[];
}

export interface ChunkWrite {
  ordinal: number;
  text: string;
  hash: string;
  tokenCount: number;
}

export interface DocumentWrite {
  namespace: string;
  docId: string;
  title: string | null;
  text: string;
  metadata: Record<string, unknown>;
  subjectIds: string[];
  docHash: string;
  metaHash: string;
  embeddingVersion: string;
  tokenCount: number;
  /** PII redacted from `text` under the namespace policy, per type (default none). */
  piiCounts?: Record<string, number>;
  chunks: ChunkWrite[];
  /** Embeddings computed for this write (pgvector literals) that the cache does not hold yet. */
  newEmbeddings: Array<{ hash: string; vector: string }>;
  /** Rewrite chunks even when the content is unchanged (index rebuild after a chunking change). */
  force?: boolean;
  /** When the write was accepted (request arrival, or batch submission): erasures since then refuse it. */
  acceptedAt?: Date;
  /** Salted hashes of the document's subject ids, to match subject erasure tombstones. */
  subjectHashes?: string[];
}

/** Runs inside the write's transaction, before commit (e.g. a job marks its item done, fenced by its lease). */
export type WriteHook = (tx: { query(sql: string, params?: unknown[]): Promise<unknown> }, status: WriteStatus) => Promise<void>;

export interface DocumentForRebuild {
  docId: string;
  text: string;
  title: string | null;
  metadata: Record<string, unknown>;
  subjectIds: string[];
}

export type WriteStatus = 'created' | 'updated' | 'unchanged';

export interface WriteOutcome {
  status: WriteStatus;
  chunkCount: number;
  version: number;
}

const SUMMARY_COLUMNS = `namespace, doc_id, title, metadata, subject_ids, status, doc_hash, chunk_count, token_count,
  embedding_version, version, created_at, updated_at, pii_counts`;

interface SummaryRecord {
  namespace: string;
  doc_id: string;
  title: string | null;
  metadata: Record<string, unknown>;
  subject_ids: string[];
  status: DocumentStatus;
  doc_hash: string;
  chunk_count: number;
  token_count: number;
  embedding_version: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  pii_counts: Record<string, number>;
}

function toRow(r: SummaryRecord): DocumentRow {
  return {
    namespace: r.namespace,
    docId: r.doc_id,
    title: r.title,
    metadata: r.metadata,
    subjectIds: r.subject_ids,
    status: r.status,
    docHash: r.doc_hash,
    chunkCount: r.chunk_count,
    tokenCount: r.token_count,
    embeddingVersion: r.embedding_version,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    piiCounts: r.pii_counts,
  };
}

/**
 * Documents and their chunks. Every method takes the tenant; every statement filters on it.
 * A document's chunks only ever change inside one transaction together with the document row, so a
 * reader (one statement, or one snapshot) sees the old or the new version, never a mix.
 */
export class DocumentsRepository {
  constructor(private readonly ds: DataSource) {}

  /** For hooks that run outside a write transaction. */
  connection(): { query(sql: string, params?: unknown[]): Promise<unknown> } {
    return this.ds;
  }

  async findState(tenantId: TenantId, namespace: string, docId: string): Promise<DocumentState | null> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT id, status, doc_hash, meta_hash, embedding_version, chunk_count, version, pii_counts
         FROM documents WHERE tenant_id = $1 AND namespace = $2 AND doc_id = $3`,
      [tenantId, namespace, docId],
    );
    return rows[0] ? this.toState(rows[0]) : null;
  }

  /**
   * Creates or replaces the document and its chunks in one transaction. Re-checks the stored state
   * under a row lock, so concurrent upserts of the same document serialise and the same content is
   * never written twice.
   */
  async write(tenantId: TenantId, w: DocumentWrite, hook?: WriteHook): Promise<WriteOutcome> {
    return this.ds.transaction(async (em) => {
      // Writes share the tenant's erasure lock: an erasure waits for writes in flight, later writes see its tombstone.
      await em.query(`SELECT pg_advisory_xact_lock_shared(hashtext($1))`, [erasureLockKey(tenantId)]);
      if (w.acceptedAt) {
        const erased: unknown[] = await em.query(
          `SELECT 1 FROM erasure_tombstones WHERE tenant_id = $1 AND created_at > $2 AND (
              (namespace IS NULL AND doc_id IS NULL AND subject_hash IS NULL)
           OR (namespace = $3 AND doc_id IS NULL AND subject_hash IS NULL)
           OR (namespace = $3 AND doc_id = $4)
           OR subject_hash = ANY($5::text[])) LIMIT 1`,
          [tenantId, w.acceptedAt, w.namespace, w.docId, w.subjectHashes ?? []],
        );
        if (erased.length > 0) {
          throw new AppError(ErrorCode.DocumentErased, `"${w.docId}" was covered by an erasure requested after this write was accepted; it is not stored`);
        }
      }
      if (w.newEmbeddings.length > 0) {
        await em.query(
          `INSERT INTO embedding_cache (chunk_hash, embedding_version, embedding)
           SELECT t.hash, $1, t.vec::vector FROM unnest($2::text[], $3::text[]) AS t(hash, vec)
           ON CONFLICT (chunk_hash, embedding_version) DO NOTHING`,
          [w.embeddingVersion, w.newEmbeddings.map((e) => e.hash), w.newEmbeddings.map((e) => e.vector)],
        );
      }

      const inserted: Array<{ id: string; version: number }> = await em.query(
        `INSERT INTO documents (tenant_id, namespace, doc_id, title, text, metadata, subject_ids, doc_hash, meta_hash,
                                embedding_version, chunk_count, token_count, pii_counts)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::text[], $8, $9, $10, $11, $12, $13::jsonb)
         ON CONFLICT ON CONSTRAINT documents_tenant_namespace_doc_key DO NOTHING
         RETURNING id, version`,
        [tenantId, w.namespace, w.docId, w.title, w.text, JSON.stringify(w.metadata), w.subjectIds, w.docHash, w.metaHash,
          w.embeddingVersion, w.chunks.length, w.tokenCount, JSON.stringify(w.piiCounts ?? {})],
      );
      const created = inserted[0];
      if (created) {
        await this.insertChunks(em, tenantId, created.id, w);
        await hook?.(em, 'created');
        return { status: 'created', chunkCount: w.chunks.length, version: created.version };
      }

      const locked: Array<Record<string, unknown>> = await em.query(
        `SELECT id, status, doc_hash, meta_hash, embedding_version, chunk_count, version, pii_counts
           FROM documents WHERE tenant_id = $1 AND namespace = $2 AND doc_id = $3 FOR UPDATE`,
        [tenantId, w.namespace, w.docId],
      );
      const current = this.toState(locked[0] as Record<string, unknown>);
      const sameContent = !w.force && current.status === 'active' && current.docHash === w.docHash && current.embeddingVersion === w.embeddingVersion;

      if (sameContent && current.metaHash === w.metaHash) {
        await hook?.(em, 'unchanged');
        return { status: 'unchanged', chunkCount: current.chunkCount, version: current.version };
      }
      if (sameContent) {
        // Only title / metadata / subjects changed: keep chunks and vectors, refresh the filterable copy.
        const updated = await returningRows<{ version: number }>(
          em,
          `UPDATE documents SET title = $2, metadata = $3::jsonb, subject_ids = $4::text[], meta_hash = $5,
                  version = version + 1, updated_at = now()
            WHERE id = $1 RETURNING version`,
          [current.id, w.title, JSON.stringify(w.metadata), w.subjectIds, w.metaHash],
        );
        await em.query(`UPDATE chunks SET metadata = $2::jsonb WHERE document_id = $1`, [current.id, JSON.stringify(w.metadata)]);
        await hook?.(em, 'updated');
        return { status: 'updated', chunkCount: current.chunkCount, version: updated[0]?.version ?? current.version + 1 };
      }

      const revived = current.status === 'deleted';
      const updated = await returningRows<{ version: number }>(
        em,
        `UPDATE documents SET title = $2, text = $3, metadata = $4::jsonb, subject_ids = $5::text[], doc_hash = $6,
                meta_hash = $7, embedding_version = $8, chunk_count = $9, token_count = $10, pii_counts = $11::jsonb, status = 'active',
                deleted_at = NULL, version = version + 1, updated_at = now(),
                created_at = CASE WHEN status = 'deleted' THEN now() ELSE created_at END
          WHERE id = $1 RETURNING version`,
        [current.id, w.title, w.text, JSON.stringify(w.metadata), w.subjectIds, w.docHash, w.metaHash, w.embeddingVersion,
          w.chunks.length, w.tokenCount, JSON.stringify(w.piiCounts ?? {})],
      );
      await em.query(`DELETE FROM chunks WHERE document_id = $1`, [current.id]);
      await this.insertChunks(em, tenantId, current.id, w);
      await hook?.(em, revived ? 'created' : 'updated');
      return { status: revived ? 'created' : 'updated', chunkCount: w.chunks.length, version: updated[0]?.version ?? current.version + 1 };
    });
  }

  /** Multi-row insert; vectors are copied server-side from the embedding cache, never re-sent. */
  private async insertChunks(em: EntityManager, tenantId: TenantId, documentId: string, w: DocumentWrite): Promise<void> {
    if (w.chunks.length === 0) return;
    const inserted: Array<{ n: number }> = await em.query(
      `WITH ins AS (
         INSERT INTO chunks (document_id, tenant_id, namespace, doc_id, ordinal, text, chunk_hash, token_count, metadata,
                             embedding, embedding_version)
         SELECT $1, $2, $3, $4, t.ordinal, t.text, t.hash, t.tokens, $5::jsonb, ec.embedding, $6
           FROM unnest($7::int[], $8::text[], $9::text[], $10::int[]) AS t(ordinal, text, hash, tokens)
           JOIN embedding_cache ec ON ec.chunk_hash = t.hash AND ec.embedding_version = $6
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [documentId, tenantId, w.namespace, w.docId, JSON.stringify(w.metadata), w.embeddingVersion,
        w.chunks.map((c) => c.ordinal), w.chunks.map((c) => c.text), w.chunks.map((c) => c.hash), w.chunks.map((c) => c.tokenCount)],
    );
    const affected = inserted[0]?.n ?? 0;
    if (affected !== w.chunks.length) {
      // An embedding vanished from the cache between lookup and write; the caller retries the upsert.
      throw new Error(`chunk write incomplete: ${affected} of ${w.chunks.length} chunks had an embedding`);
    }
  }

  async get(tenantId: TenantId, namespace: string, docId: string): Promise<DocumentWithText | null> {
    const rows: Array<SummaryRecord & { id: string; text: string }> = await this.ds.query(
      `SELECT id, text, ${SUMMARY_COLUMNS} FROM documents
        WHERE tenant_id = $1 AND namespace = $2 AND doc_id = $3 AND status = 'active'`,
      [tenantId, namespace, docId],
    );
    const row = rows[0];
    if (!row) return null;
    const chunks: Array<{ chunk_hash: string }> = await this.ds.query(
      `SELECT chunk_hash FROM chunks WHERE document_id = $1 AND tenant_id = $2 ORDER BY ordinal`,
      [row.id, tenantId],
    );
    return { ...toRow(row), text: row.text, chunkHashes: chunks.map((c) => c.chunk_hash) };
  }

  /** Keyset pagination by doc_id; returns one row more than asked for when there is a next page. */
  async list(tenantId: TenantId, namespace: string, limit: number, afterDocId: string | null): Promise<DocumentRow[]> {
    const rows: SummaryRecord[] = await this.ds.query(
      `SELECT ${SUMMARY_COLUMNS} FROM documents
        WHERE tenant_id = $1 AND namespace = $2 AND status = 'active' AND ($3::text IS NULL OR doc_id > $3)
        ORDER BY doc_id LIMIT $4`,
      [tenantId, namespace, afterDocId, limit + 1],
    );
    return rows.map(toRow);
  }

  /** Active documents with their text, in doc_id order after `afterDocId` (index rebuild). */
  async listForRebuild(tenantId: TenantId, namespace: string, afterDocId: string | null, limit: number): Promise<DocumentForRebuild[]> {
    const rows: Array<{ doc_id: string; text: string; title: string | null; metadata: Record<string, unknown>; subject_ids: string[] }> = await this.ds.query(
      `SELECT doc_id, text, title, metadata, subject_ids FROM documents
        WHERE tenant_id = $1 AND namespace = $2 AND status = 'active' AND ($3::text IS NULL OR doc_id > $3)
        ORDER BY doc_id LIMIT $4`,
      [tenantId, namespace, afterDocId, limit],
    );
    return rows.map((r) => ({ docId: r.doc_id, text: r.text, title: r.title, metadata: r.metadata, subjectIds: r.subject_ids }));
  }

  /** Active documents of a namespace, optionally only those after `afterDocId` in doc_id order. */
  async countActive(tenantId: TenantId, namespace: string, afterDocId: string | null = null): Promise<number> {
    const rows: Array<{ n: number }> = await this.ds.query(
      `SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1 AND namespace = $2 AND status = 'active' AND ($3::text IS NULL OR doc_id > $3)`,
      [tenantId, namespace, afterDocId],
    );
    return rows[0]?.n ?? 0;
  }

  /** Soft delete: document and chunks leave reads and search in the same transaction. */
  async softDelete(tenantId: TenantId, namespace: string, docId: string): Promise<boolean> {
    return this.ds.transaction(async (em) => {
      const rows = await returningRows<{ id: string }>(
        em,
        `UPDATE documents SET status = 'deleted', deleted_at = now(), updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND namespace = $2 AND doc_id = $3 AND status = 'active' RETURNING id`,
        [tenantId, namespace, docId],
      );
      const row = rows[0];
      if (!row) return false;
      await em.query(`UPDATE chunks SET deleted_at = now() WHERE document_id = $1 AND tenant_id = $2`, [row.id, tenantId]);
      return true;
    });
  }

  async existingEmbeddings(embeddingVersion: string, hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows: Array<{ chunk_hash: string }> = await this.ds.query(
      `SELECT chunk_hash FROM embedding_cache WHERE embedding_version = $1 AND chunk_hash = ANY($2::text[])`,
      [embeddingVersion, hashes],
    );
    return new Set(rows.map((r) => r.chunk_hash));
  }

  private toState(r: Record<string, unknown>): DocumentState {
    return {
      id: String(r['id']),
      status: r['status'] as DocumentStatus,
      docHash: String(r['doc_hash']),
      metaHash: String(r['meta_hash']),
      embeddingVersion: String(r['embedding_version']),
      chunkCount: Number(r['chunk_count']),
      version: Number(r['version']),
      piiCounts: (r['pii_counts'] as Record<string, number> | undefined) ?? {},
    };
  }
}
