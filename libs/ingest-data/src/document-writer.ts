import { AppError, ErrorCode, TenantId } from '@datafactory/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { returningRows } from '@datafactory/db';
import { erasureLockKey } from '@datafactory/erasure';
import {
  DocumentWrite,
  EmbeddingCacheMissError,
  GroupWriteHook,
  StoredVersion,
  WriteOutcome,
  WriteResult,
  changeOf,
} from './document-write';

interface CurrentState extends StoredVersion {
  id: string;
  namespace: string;
  docId: string;
  chunkCount: number;
  version: number;
}

const key = (namespace: string, docId: string): string => `${namespace}\u0000${docId}`;

/**
 * Writes a group of documents and their chunks in one transaction: one lock, one erasure check, one insert of
 * new documents, one insert of all their chunks, one commit. Each document keeps the semantics of a write of
 * its own (unchanged, metadata-only, replaced, revived; refused when erased). A group holds each
 * (namespace, doc_id) at most once; rows are written in key order, so concurrent groups lock in one order.
 */
export class DocumentWriter {
  constructor(private readonly ds: DataSource) {}

  async writeGroup(tenantId: TenantId, writes: DocumentWrite[], hook?: GroupWriteHook): Promise<WriteResult[]> {
    const keys = new Set(writes.map((w) => key(w.namespace, w.docId)));
    if (keys.size !== writes.length) throw new RangeError('a write group must hold each document at most once');
    return this.ds.transaction(async (em) => {
      // Writes share the tenant's erasure lock: an erasure waits for writes in flight, later writes see its tombstone.
      await em.query(`SELECT pg_advisory_xact_lock_shared(hashtext($1))`, [erasureLockKey(tenantId)]);
      const results: Array<WriteResult | undefined> = new Array(writes.length);
      for (const i of await this.erased(em, tenantId, writes)) {
        const w = writes[i] as DocumentWrite;
        const message = `"${w.docId}" was covered by an erasure requested after this write was accepted; it is not stored`;
        results[i] = { erased: new AppError(ErrorCode.DocumentErased, message) };
      }
      const live = writes.map((w, i) => ({ w, i })).filter(({ i }) => !results[i]);
      live.sort((a, b) => (key(a.w.namespace, a.w.docId) < key(b.w.namespace, b.w.docId) ? -1 : 1));
      await this.cacheEmbeddings(
        em,
        live.map(({ w }) => w),
      );
      await this.insertChunks(em, tenantId, await this.writeDocuments(em, tenantId, live, results));
      const done = results as WriteResult[];
      await hook?.(em, done);
      return done;
    });
  }

  /**
   * Inserts the new documents and updates the existing ones, recording each outcome in `results`; returns the
   * documents whose chunks must be (re)written, after deleting the chunks of those replaced.
   */
  private async writeDocuments(
    em: EntityManager,
    tenantId: TenantId,
    live: Array<{ w: DocumentWrite; i: number }>,
    results: Array<WriteResult | undefined>,
  ): Promise<Array<{ documentId: string; w: DocumentWrite }>> {
    const created = await this.insertDocuments(
      em,
      tenantId,
      live.map(({ w }) => w),
    );
    const withChunks: Array<{ documentId: string; w: DocumentWrite }> = [];
    const existing: Array<{ w: DocumentWrite; i: number }> = [];
    for (const item of live) {
      const row = created.get(key(item.w.namespace, item.w.docId));
      if (!row) {
        existing.push(item);
        continue;
      }
      withChunks.push({ documentId: row.id, w: item.w });
      results[item.i] = { status: 'created', chunkCount: item.w.chunks.length, version: row.version };
    }
    const replaced: string[] = [];
    const current = await this.lockExisting(
      em,
      tenantId,
      existing.map(({ w }) => w),
    );
    for (const { w, i } of existing) {
      const state = current.get(key(w.namespace, w.docId)) as CurrentState;
      results[i] = await this.update(em, state, w);
      if (changeOf(state, w) !== 'content') continue;
      replaced.push(state.id);
      withChunks.push({ documentId: state.id, w });
    }
    if (replaced.length > 0)
      await em.query(`DELETE FROM chunks WHERE tenant_id = $1 AND document_id = ANY($2::bigint[])`, [tenantId, replaced]);
    return withChunks;
  }

  /** Indexes of the writes that an erasure requested after their acceptance covers. */
  private async erased(em: EntityManager, tenantId: TenantId, writes: DocumentWrite[]): Promise<number[]> {
    const checked = writes.flatMap((w, i) =>
      w.acceptedAt
        ? [{ i, namespace: w.namespace, doc_id: w.docId, accepted_at: w.acceptedAt.toISOString(), subjects: w.subjectHashes ?? [] }]
        : [],
    );
    if (checked.length === 0) return [];
    const rows: Array<{ i: number }> = await em.query(
      `SELECT d.i FROM jsonb_to_recordset($2::jsonb) AS d(i int, namespace text, doc_id text, accepted_at timestamptz, subjects text[])
        WHERE EXISTS (SELECT 1 FROM erasure_tombstones t WHERE t.tenant_id = $1 AND t.created_at > d.accepted_at AND (
                 (t.namespace IS NULL AND t.doc_id IS NULL AND t.subject_hash IS NULL)
              OR (t.namespace = d.namespace AND t.doc_id IS NULL AND t.subject_hash IS NULL)
              OR (t.namespace = d.namespace AND t.doc_id = d.doc_id)
              OR t.subject_hash = ANY(d.subjects)))`,
      [tenantId, JSON.stringify(checked)],
    );
    return rows.map((r) => r.i);
  }

  private async cacheEmbeddings(em: EntityManager, writes: DocumentWrite[]): Promise<void> {
    const byKey = new Map<string, { hash: string; version: string; vector: string }>();
    for (const w of writes)
      for (const e of w.newEmbeddings) byKey.set(`${w.embeddingVersion}\u0000${e.hash}`, { ...e, version: w.embeddingVersion });
    if (byKey.size === 0) return;
    // In key order: concurrent groups sharing cache entries then wait on each other in one order, never in a cycle.
    const rows = [...byKey.values()].sort((x, y) =>
      x.version === y.version ? (x.hash < y.hash ? -1 : 1) : x.version < y.version ? -1 : 1,
    );
    await em.query(
      `INSERT INTO embedding_cache (chunk_hash, embedding_version, embedding)
       SELECT t.hash, t.version, t.vec::vector FROM unnest($1::text[], $2::text[], $3::text[]) AS t(hash, version, vec)
       ON CONFLICT (chunk_hash, embedding_version) DO NOTHING`,
      [rows.map((r) => r.hash), rows.map((r) => r.version), rows.map((r) => r.vector)],
    );
  }

  /** Inserts the documents that do not exist yet; returns them by key. */
  private async insertDocuments(
    em: EntityManager,
    tenantId: TenantId,
    writes: DocumentWrite[],
  ): Promise<Map<string, { id: string; version: number }>> {
    if (writes.length === 0) return new Map();
    // Parallel arrays, not one JSON document: texts stay text parameters (any size a text column takes, no JSON escaping).
    const rows: Array<{ id: string; namespace: string; doc_id: string; version: number }> = await em.query(
      `INSERT INTO documents (tenant_id, namespace, doc_id, title, text, metadata, subject_ids, doc_hash, meta_hash,
                              embedding_version, chunk_count, token_count, pii_counts)
       SELECT $1, d.namespace, d.doc_id, d.title, d.text, d.metadata, ARRAY(SELECT jsonb_array_elements_text(d.subject_ids)), d.doc_hash,
              d.meta_hash, d.embedding_version, d.chunk_count, d.token_count, d.pii_counts
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[], $9::text[], $10::text[],
                     $11::int[], $12::int[], $13::jsonb[])
           AS d(namespace, doc_id, title, text, metadata, subject_ids, doc_hash, meta_hash, embedding_version, chunk_count, token_count,
                pii_counts)
       ON CONFLICT ON CONSTRAINT documents_tenant_namespace_doc_key DO NOTHING
       RETURNING id, namespace, doc_id, version`,
      [
        tenantId,
        writes.map((w) => w.namespace),
        writes.map((w) => w.docId),
        writes.map((w) => w.title),
        writes.map((w) => w.text),
        writes.map((w) => JSON.stringify(w.metadata)),
        writes.map((w) => JSON.stringify(w.subjectIds)),
        writes.map((w) => w.docHash),
        writes.map((w) => w.metaHash),
        writes.map((w) => w.embeddingVersion),
        writes.map((w) => w.chunks.length),
        writes.map((w) => w.tokenCount),
        writes.map((w) => JSON.stringify(w.piiCounts ?? {})),
      ],
    );
    return new Map(rows.map((r) => [key(r.namespace, r.doc_id), { id: r.id, version: r.version }]));
  }

  /** The stored state of documents that already exist, row-locked so concurrent writes of one document serialise. */
  private async lockExisting(em: EntityManager, tenantId: TenantId, writes: DocumentWrite[]): Promise<Map<string, CurrentState>> {
    if (writes.length === 0) return new Map();
    const rows: CurrentState[] = await em.query(
      `SELECT d.id, d.namespace, d.doc_id AS "docId", d.status, d.doc_hash AS "docHash", d.meta_hash AS "metaHash",
              d.embedding_version AS "embeddingVersion", d.chunk_count AS "chunkCount", d.version
         FROM documents d JOIN unnest($2::text[], $3::text[]) AS k(namespace, doc_id) ON d.namespace = k.namespace AND d.doc_id = k.doc_id
        WHERE d.tenant_id = $1 ORDER BY d.namespace, d.doc_id FOR UPDATE OF d`,
      [tenantId, writes.map((w) => w.namespace), writes.map((w) => w.docId)],
    );
    return new Map(rows.map((r) => [key(r.namespace, r.docId), r]));
  }

  /** Updates an existing document row; the caller replaces its chunks when the content changed. */
  private async update(em: EntityManager, state: CurrentState, w: DocumentWrite): Promise<WriteOutcome> {
    const change = changeOf(state, w);
    if (change === 'none') return { status: 'unchanged', chunkCount: state.chunkCount, version: state.version };
    if (change === 'metadata') {
      // Only title / metadata / subjects changed: keep chunks and vectors, refresh the filterable copy.
      const updated = await returningRows<{ version: number }>(
        em,
        `UPDATE documents SET title = $2, metadata = $3::jsonb, subject_ids = $4::text[], meta_hash = $5,
                version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING version`,
        [state.id, w.title, JSON.stringify(w.metadata), w.subjectIds, w.metaHash],
      );
      await em.query(`UPDATE chunks SET metadata = $2::jsonb WHERE document_id = $1`, [state.id, JSON.stringify(w.metadata)]);
      return { status: 'updated', chunkCount: state.chunkCount, version: updated[0]?.version ?? state.version + 1 };
    }
    const revived = state.status === 'deleted';
    const updated = await returningRows<{ version: number }>(
      em,
      `UPDATE documents SET title = $2, text = $3, metadata = $4::jsonb, subject_ids = $5::text[], doc_hash = $6,
              meta_hash = $7, embedding_version = $8, chunk_count = $9, token_count = $10, pii_counts = $11::jsonb, status = 'active',
              deleted_at = NULL, version = version + 1, updated_at = now(),
              created_at = CASE WHEN status = 'deleted' THEN now() ELSE created_at END
        WHERE id = $1 RETURNING version`,
      [
        state.id,
        w.title,
        w.text,
        JSON.stringify(w.metadata),
        w.subjectIds,
        w.docHash,
        w.metaHash,
        w.embeddingVersion,
        w.chunks.length,
        w.tokenCount,
        JSON.stringify(w.piiCounts ?? {}),
      ],
    );
    return { status: revived ? 'created' : 'updated', chunkCount: w.chunks.length, version: updated[0]?.version ?? state.version + 1 };
  }

  /** One multi-row insert for every chunk of the group; vectors are copied server-side from the embedding cache, never re-sent. */
  private async insertChunks(em: EntityManager, tenantId: TenantId, docs: Array<{ documentId: string; w: DocumentWrite }>): Promise<void> {
    const chunks = docs.flatMap(({ w }, d) => w.chunks.map((c) => ({ d: d + 1, c })));
    if (chunks.length === 0) return;
    const inserted: Array<{ n: number }> = await em.query(
      `WITH ins AS (
         INSERT INTO chunks (document_id, tenant_id, namespace, doc_id, ordinal, text, chunk_hash, token_count, metadata,
                             embedding, embedding_version)
         SELECT d.document_id, $1, d.namespace, d.doc_id, c.ordinal, c.text, c.hash, c.tokens, d.metadata, ec.embedding, d.version
           FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::int[]) AS c(doc, ordinal, text, hash, tokens)
           JOIN unnest($7::bigint[], $8::text[], $9::text[], $10::jsonb[], $11::text[]) WITH ORDINALITY
                AS d(document_id, namespace, doc_id, metadata, version, n) ON d.n = c.doc
           JOIN embedding_cache ec ON ec.chunk_hash = c.hash AND ec.embedding_version = d.version
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        tenantId,
        chunks.map((x) => x.d),
        chunks.map((x) => x.c.ordinal),
        chunks.map((x) => x.c.text),
        chunks.map((x) => x.c.hash),
        chunks.map((x) => x.c.tokenCount),
        docs.map((x) => x.documentId),
        docs.map((x) => x.w.namespace),
        docs.map((x) => x.w.docId),
        docs.map((x) => JSON.stringify(x.w.metadata)),
        docs.map((x) => x.w.embeddingVersion),
      ],
    );
    const written = inserted[0]?.n ?? 0;
    if (written !== chunks.length) throw new EmbeddingCacheMissError(written, chunks.length);
  }
}
