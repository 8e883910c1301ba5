import { TenantId } from '@datafactory/contracts';
import { DataSource } from 'typeorm';
import { DocumentWrite, GroupWriteHook, WriteOutcome, WriteResult, WriteStatus } from './document-write';
import { DocumentWriter } from './document-writer';
import { DocumentStatus, returningRows } from '@datafactory/db';

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

/** Runs inside the write's transaction, before commit (e.g. a job marks its item done, fenced by its lease). */
export type WriteHook = (tx: { query(sql: string, params?: unknown[]): Promise<unknown> }, status: WriteStatus) => Promise<void>;

export interface DocumentForRebuild {
  docId: string;
  text: string;
  title: string | null;
  metadata: Record<string, unknown>;
  subjectIds: string[];
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
  private readonly writer: DocumentWriter;

  constructor(private readonly ds: DataSource) {
    this.writer = new DocumentWriter(ds);
  }

  /** For hooks that run outside a write transaction. */
  connection(): { query(sql: string, params?: unknown[]): Promise<unknown> } {
    return this.ds;
  }

  async findState(tenantId: TenantId, namespace: string, docId: string): Promise<DocumentState | null> {
    return (await this.findStates(tenantId, namespace, [docId])).get(docId) ?? null;
  }

  /** The stored state of several documents of one namespace, by doc_id (absent ones are missing). */
  async findStates(tenantId: TenantId, namespace: string, docIds: string[]): Promise<Map<string, DocumentState>> {
    if (docIds.length === 0) return new Map();
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT id, doc_id, status, doc_hash, meta_hash, embedding_version, chunk_count, version, pii_counts
         FROM documents WHERE tenant_id = $1 AND namespace = $2 AND doc_id = ANY($3::text[])`,
      [tenantId, namespace, docIds],
    );
    return new Map(rows.map((r) => [String(r['doc_id']), this.toState(r)]));
  }

  /**
   * Creates or replaces the document and its chunks in one transaction. Re-checks the stored state
   * under a row lock, so concurrent upserts of the same document serialise and the same content is
   * never written twice. Throws `document_erased` when an erasure since `acceptedAt` covers it.
   */
  async write(tenantId: TenantId, w: DocumentWrite, hook?: WriteHook): Promise<WriteOutcome> {
    const [result] = await this.writer.writeGroup(tenantId, [w], async (tx, [only]) => {
      if (only && !('erased' in only)) await hook?.(tx, only.status);
    });
    if (!result || 'erased' in result) throw result?.erased ?? new Error('write group returned no result');
    return result;
  }

  /** Writes several documents in one transaction (see DocumentWriter); erased ones come back as `{ erased }`. */
  writeGroup(tenantId: TenantId, writes: DocumentWrite[], hook?: GroupWriteHook): Promise<WriteResult[]> {
    return this.writer.writeGroup(tenantId, writes, hook);
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
    const rows: Array<{ doc_id: string; text: string; title: string | null; metadata: Record<string, unknown>; subject_ids: string[] }> =
      await this.ds.query(
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
