import { DocumentResponse, DocumentSummary } from '@datafactory/contracts';
import { DocumentRow, DocumentWithText } from '@datafactory/ingest-data';

export function toDocumentSummary(row: DocumentRow): DocumentSummary {
  return {
    doc_id: row.docId,
    namespace: row.namespace,
    title: row.title,
    metadata: row.metadata as DocumentSummary['metadata'],
    subject_ids: row.subjectIds,
    status: row.status,
    doc_hash: row.docHash,
    chunks: row.chunkCount,
    tokens: row.tokenCount,
    embedding_version: row.embeddingVersion,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    pii_counts: row.piiCounts,
  };
}

export function toDocumentResponse(row: DocumentWithText): DocumentResponse {
  return { ...toDocumentSummary(row), text: row.text, chunk_hashes: row.chunkHashes };
}
