import { AppError } from '@datafactory/contracts';
import { DocumentStatus } from '@datafactory/db';

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

export type WriteStatus = 'created' | 'updated' | 'unchanged';

export interface WriteOutcome {
  status: WriteStatus;
  chunkCount: number;
  version: number;
}

/** One write of a group: stored (with its outcome), or refused because an erasure covers it. */
export type WriteResult = WriteOutcome | { erased: AppError };

export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Runs inside the group's transaction, before commit, with one result per write (same order). */
export type GroupWriteHook = (tx: SqlRunner, results: WriteResult[]) => Promise<void>;

/** An embedding vanished from the cache between lookup and write (a purge raced the write): embed again and retry. */
export class EmbeddingCacheMissError extends Error {
  constructor(
    readonly written: number,
    readonly expected: number,
  ) {
    super(`chunk write incomplete: ${written} of ${expected} chunks had an embedding`);
    this.name = 'EmbeddingCacheMissError';
  }
}

/** The stored version of a document that a write is compared with. */
export interface StoredVersion {
  status: DocumentStatus;
  docHash: string;
  metaHash: string;
  embeddingVersion: string;
}

/**
 * What a write changes in the stored document: nothing, only its title, metadata or subjects (chunks and vectors
 * stay), or its content (chunks are replaced). `force` always replaces the content; a deleted document is revived.
 */
export function changeOf(
  stored: StoredVersion,
  w: Pick<DocumentWrite, 'docHash' | 'metaHash' | 'embeddingVersion' | 'force'>,
): 'none' | 'metadata' | 'content' {
  if (w.force === true || stored.status !== 'active' || stored.docHash !== w.docHash || stored.embeddingVersion !== w.embeddingVersion)
    return 'content';
  return stored.metaHash === w.metaHash ? 'none' : 'metadata';
}
