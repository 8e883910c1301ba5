import { Chunk, chunkText, sha256Hex } from '@datafactory/chunking';
import { AppError, DEFAULT_NAMESPACE, ErrorCode, TenantId, UpsertDocumentRequest, UpsertDocumentResponse } from '@datafactory/contracts';
import { DocumentsRepository, NamespaceSettingsRepository, WriteHook, toVectorLiteral } from '@datafactory/db';
import { PiiCounts as DetectedPii, redactPii } from '@datafactory/pii';
import { EmbeddingError, EmbeddingProvider } from '@datafactory/embedding';
import { EMBEDDING_PROVIDER, canonicalJson, subjectHash } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';

/**
 * validate (done by the pipe) → hash → chunk → embed what the cache lacks → write in one transaction.
 * The same text again is answered from the stored hashes without chunking, embedding or writing.
 */
@Injectable()
export class UpsertDocumentUseCase {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly settings: NamespaceSettingsRepository,
    @Inject(EMBEDDING_PROVIDER) private readonly embedder: EmbeddingProvider,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: Metrics,
  ) {}

  /**
   * `force` rewrites chunks even for unchanged content (index rebuild); `hook` runs inside the write's
   * transaction, or alone when nothing needs writing, exactly once per successful call; `acceptedAt` (default
   * now) is when the write was accepted: an erasure requested since then refuses it.
   */
  async execute(
    tenantId: TenantId,
    req: UpsertDocumentRequest,
    opts: { force?: boolean; hook?: WriteHook; acceptedAt?: Date } = {},
  ): Promise<UpsertDocumentResponse> {
    const acceptedAt = opts.acceptedAt ?? new Date();
    const namespace = req.namespace ?? DEFAULT_NAMESPACE;
    // PII policy first: nothing below (hashes, chunks, the embedding provider, storage) sees what it removes.
    const { text, title, piiCounts } = await this.applyPiiPolicy(tenantId, namespace, req.text, req.title ?? null);
    // The hash is of the text as stored (after redaction), so the same input is still "unchanged".
    const docHash = sha256Hex(text);
    const metadata = req.metadata ?? {};
    const subjectIds = [...new Set(req.subject_ids ?? [])].sort();
    const metaHash = sha256Hex(canonicalJson({ title, metadata, subjectIds }));
    const version = this.embedder.version;
    const respond = (status: UpsertDocumentResponse['status'], chunks: number): UpsertDocumentResponse => {
      this.metrics.ingestDocuments.inc({ status });
      if (status !== 'unchanged') {
        this.metrics.ingestChunks.inc(chunks);
        this.metrics.ingestBytes.inc(Buffer.byteLength(text));
      }
      return {
      doc_id: req.doc_id,
      namespace,
      status,
      doc_hash: docHash,
      chunks,
      embedding_version: version,
      pii_counts: piiCounts,
      };
    };

    const state = await this.documents.findState(tenantId, namespace, req.doc_id);
    if (!opts.force && state?.status === 'active' && state.docHash === docHash && state.embeddingVersion === version && state.metaHash === metaHash) {
      await opts.hook?.(this.documents.connection(), 'unchanged');
      return respond('unchanged', state.chunkCount);
    }

    const chunks = chunkText(text, { maxTokens: this.config.CHUNK_MAX_TOKENS, overlapTokens: this.config.CHUNK_OVERLAP_TOKENS });
    // One retry covers the rare case of a cache entry removed between lookup and write.
    for (let attempt = 1; ; attempt++) {
      const newEmbeddings = await this.embedMissing(chunks);
      try {
        const outcome = await this.documents.write(tenantId, {
          namespace,
          docId: req.doc_id,
          title,
          text,
          metadata,
          piiCounts,
          subjectIds,
          docHash,
          metaHash,
          embeddingVersion: version,
          tokenCount: chunks.reduce((sum, c) => sum + c.tokenCount, 0),
          chunks: chunks.map((c) => ({ ordinal: c.ordinal, text: c.text, hash: c.hash, tokenCount: c.tokenCount })),
          newEmbeddings,
          ...(opts.force ? { force: true } : {}),
          acceptedAt,
          subjectHashes: subjectIds.map((id) => subjectHash(this.config.GOVERNANCE_SIGNING_KEY, id)),
        }, opts.hook);
        return respond(outcome.status, outcome.chunkCount);
      } catch (error) {
        if (attempt >= 2 || !(error instanceof Error) || !error.message.startsWith('chunk write incomplete')) throw error;
      }
    }
  }

  private async applyPiiPolicy(tenantId: TenantId, namespace: string, text: string, title: string | null): Promise<{ text: string; title: string | null; piiCounts: DetectedPii }> {
    const policy = await this.settings.piiPolicy(tenantId, namespace);
    if (policy === 'off') return { text, title, piiCounts: {} };
    const body = redactPii(text);
    const heading = title === null ? null : redactPii(title);
    const piiCounts: DetectedPii = { ...body.counts };
    for (const [type, n] of Object.entries(heading?.counts ?? {})) piiCounts[type as keyof DetectedPii] = (piiCounts[type as keyof DetectedPii] ?? 0) + (n ?? 0);
    if (policy === 'reject' && body.total + (heading?.total ?? 0) > 0) {
      const found = Object.entries(piiCounts).map(([type, n]) => `${n} ${type}`).join(', ');
      throw new AppError(ErrorCode.PiiDetected, `the document contains personal data (${found}) and namespace "${namespace}" rejects PII; remove it or use the redact policy`, {
        details: { pii_counts: piiCounts },
      });
    }
    return { text: body.text, title: heading?.text ?? null, piiCounts };
  }

  /** Embeds, in batches, only the distinct chunk texts that have no embedding for this version yet. */
  private async embedMissing(chunks: Chunk[]): Promise<Array<{ hash: string; vector: string }>> {
    const byHash = new Map(chunks.map((c) => [c.hash, c.text]));
    const cached = await this.documents.existingEmbeddings(this.embedder.version, [...byHash.keys()]);
    const missing = [...byHash.entries()].filter(([hash]) => !cached.has(hash));
    if (missing.length === 0) return [];
    let vectors: number[][];
    try {
      vectors = await this.embedder.embed(missing.map(([, text]) => text));
    } catch (error) {
      if (error instanceof EmbeddingError) {
        // The provider refused this input (e.g. too long for the model): retrying will not help.
        const rejected = !error.retryable && error.status !== undefined && error.status >= 400 && error.status < 500 && ![401, 403, 404].includes(error.status);
        throw new AppError(
          rejected ? ErrorCode.EmbeddingRejected : ErrorCode.EmbeddingFailed,
          rejected ? `the embedding provider rejected this document: ${error.message}` : `the embedding provider failed: ${error.message}`,
          { details: { provider_code: error.code, retryable: error.retryable }, cause: error },
        );
      }
      throw error;
    }
    return missing.map(([hash], i) => ({ hash, vector: toVectorLiteral(vectors[i] as number[]) }));
  }
}
