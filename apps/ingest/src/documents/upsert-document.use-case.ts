import { chunkText, sha256Hex } from '@datafactory/chunking';
import {
  AppError,
  DEFAULT_NAMESPACE,
  ErrorCode,
  PiiPolicyValue as PiiPolicy,
  TenantId,
  UpsertDocumentRequest,
  UpsertDocumentResponse,
} from '@datafactory/contracts';
import {
  changeOf,
  DocumentsRepository,
  DocumentWrite,
  EmbeddingCacheMissError,
  PiiPolicyReader,
  SqlRunner,
  WriteHook,
  WriteResult,
} from '@datafactory/ingest-data';
import { PiiCounts as DetectedPii, redactPii } from '@datafactory/pii';
import { EmbeddingProvider } from '@datafactory/embedding';
import { EMBEDDING_PROVIDER, canonicalJson, subjectHash } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';
import { Embedded, EmbeddingTarget, GroupEmbedder } from './group-embedder';

/** What became of one document of a group: its response, or the error that refused it alone. */
export type UpsertResult = { response: UpsertDocumentResponse } | { error: AppError };

/**
 * Runs once per group, inside the write's transaction (or alone when nothing needs writing), with one result per
 * input; a document left unprocessed (the provider failed at or before it, so the group stops there) has none.
 */
export type GroupSettleHook = (tx: SqlRunner, results: Array<UpsertResult | undefined>) => Promise<void>;

export interface GroupOptions {
  /** Rewrite chunks even for unchanged content (index rebuild). */
  force?: boolean;
  /** When the group was accepted: an erasure requested since then refuses the documents it covers. */
  acceptedAt: Date;
  settle?: GroupSettleHook;
}

/** A document after the PII policy and hashing, before chunking. */
interface Prepared {
  write: Omit<DocumentWrite, 'chunks' | 'newEmbeddings' | 'tokenCount'> & { piiCounts: DetectedPii };
}

/** A group ready to be written (see planGroup). */
export interface GroupPlan {
  force: boolean;
  results: Array<UpsertResult | undefined>;
  pending: Pending[];
  embedded: Embedded | undefined;
}

/** A document that needs writing, chunked. */
interface Pending extends EmbeddingTarget {
  prepared: Prepared;
}

/**
 * validate (done by the pipe) → PII policy → hash → chunk → embed what the cache lacks → write. A group of
 * documents (a page of a batch job) shares one state lookup, one embedding pass (batched across documents)
 * and one write transaction; each document still succeeds or fails alone. The same text again is answered
 * from the stored hashes without chunking, embedding or writing.
 */
@Injectable()
export class UpsertDocumentUseCase {
  private readonly groupEmbedder: GroupEmbedder;

  constructor(
    private readonly documents: DocumentsRepository,
    private readonly settings: PiiPolicyReader,
    @Inject(EMBEDDING_PROVIDER) private readonly embedder: EmbeddingProvider,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: Metrics,
  ) {
    this.groupEmbedder = new GroupEmbedder(documents, embedder);
  }

  /**
   * One document. `hook` runs inside the write's transaction, or alone when nothing needs writing, exactly once
   * per successful call; `acceptedAt` (default now) is when the write was accepted.
   */
  async execute(
    tenantId: TenantId,
    req: UpsertDocumentRequest,
    opts: { force?: boolean; hook?: WriteHook; acceptedAt?: Date } = {},
  ): Promise<UpsertDocumentResponse> {
    const settle: GroupSettleHook = async (tx, [only]) => {
      if (only && 'response' in only) await opts.hook?.(tx, only.response.status);
    };
    const [result] = await this.executeGroup(tenantId, req.namespace ?? DEFAULT_NAMESPACE, [req], {
      acceptedAt: opts.acceptedAt ?? new Date(),
      settle,
      ...(opts.force ? { force: true } : {}),
    });
    if (!result) throw new Error('upsert group returned no result');
    if ('error' in result) throw result.error;
    return result.response;
  }

  /**
   * Documents of one namespace, each doc_id at most once. Returns one result per input, in order; a document that
   * is invalid for the namespace, rejected by the embedding provider or erased fails alone. Anything else (the
   * provider or the database unavailable) throws; the documents before the one it failed at are still written.
   */
  async executeGroup(tenantId: TenantId, namespace: string, reqs: UpsertDocumentRequest[], opts: GroupOptions): Promise<UpsertResult[]> {
    return this.commitGroup(tenantId, await this.planGroup(tenantId, namespace, reqs, opts), opts);
  }

  /**
   * The part of a group that needs no write: PII policy, hashes, the unchanged check, chunks and embeddings. A batch
   * job plans the next group while the current one commits. Planning early is safe: the write compares the stored
   * state again under its row locks.
   */
  async planGroup(
    tenantId: TenantId,
    namespace: string,
    reqs: UpsertDocumentRequest[],
    opts: Omit<GroupOptions, 'settle'>,
  ): Promise<GroupPlan> {
    const results: Array<UpsertResult | undefined> = new Array(reqs.length);
    const policy = await this.settings.piiPolicy(tenantId, namespace);
    const prepared = reqs.map((req, index) => {
      try {
        return { index, prepared: this.prepare(req, namespace, policy, opts.acceptedAt) };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results[index] = { error };
        return undefined;
      }
    });
    const states = await this.documents.findStates(
      tenantId,
      namespace,
      reqs.map((r) => r.doc_id),
    );
    const pending: Pending[] = [];
    for (const item of prepared) {
      if (!item) continue;
      const { write } = item.prepared;
      const state = states.get(write.docId);
      if (state && changeOf(state, { ...write, force: opts.force === true }) === 'none') {
        results[item.index] = { response: this.respond(item.prepared, 'unchanged', state.chunkCount) };
        continue;
      }
      // Chunking is CPU work: let requests and other jobs in between documents.
      await new Promise((resolve) => setImmediate(resolve));
      const chunks = chunkText(write.text, { maxTokens: this.config.CHUNK_MAX_TOKENS, overlapTokens: this.config.CHUNK_OVERLAP_TOKENS });
      pending.push({ index: item.index, prepared: item.prepared, chunks });
    }
    return {
      force: opts.force === true,
      results,
      pending,
      embedded: pending.length === 0 ? undefined : await this.groupEmbedder.embedMissing(pending),
    };
  }

  /** Writes a planned group; throws (after committing the documents before it) when the provider failed part-way. */
  async commitGroup(tenantId: TenantId, plan: GroupPlan, opts: Pick<GroupOptions, 'settle'>): Promise<UpsertResult[]> {
    const results = [...plan.results];
    const { pending } = plan;
    if (pending.length === 0) {
      await opts.settle?.(this.documents.connection(), results);
      return this.counted(results as UpsertResult[], plan);
    }
    // One retry covers the rare case of a cache entry removed between lookup and write.
    for (let attempt = 1; ; attempt++) {
      const embedded = attempt === 1 && plan.embedded ? plan.embedded : await this.groupEmbedder.embedMissing(pending);
      const reached = embedded.blocked ? pending.slice(0, embedded.blocked.at) : pending;
      const writable = reached.filter((p) => !embedded.rejected.has(p.index));
      for (const [index, error] of embedded.rejected) results[index] = { error };
      const writes: DocumentWrite[] = writable.map((p) => ({
        ...p.prepared.write,
        tokenCount: p.chunks.reduce((sum, c) => sum + c.tokenCount, 0),
        chunks: p.chunks.map((c) => ({ ordinal: c.ordinal, text: c.text, hash: c.hash, tokenCount: c.tokenCount })),
        newEmbeddings: p.chunks.flatMap((c) => {
          const vector = embedded.vectors.get(c.hash);
          return vector ? [{ hash: c.hash, vector }] : [];
        }),
        ...(plan.force ? { force: true } : {}),
      }));
      try {
        await this.documents.writeGroup(tenantId, writes, async (tx, written: WriteResult[]) => {
          written.forEach((w, k) => {
            const p = writable[k] as Pending;
            results[p.index] = 'erased' in w ? { error: w.erased } : { response: this.respond(p.prepared, w.status, w.chunkCount) };
          });
          await opts.settle?.(tx, results);
        });
        this.counted(
          results.filter((r): r is UpsertResult => r !== undefined),
          plan,
        );
        if (embedded.blocked) throw embedded.blocked.error;
        return results as UpsertResult[];
      } catch (error) {
        if (attempt >= 2 || !(error instanceof EmbeddingCacheMissError)) throw error;
      }
    }
  }

  private prepare(req: UpsertDocumentRequest, namespace: string, policy: PiiPolicy, acceptedAt: Date): Prepared {
    // PII policy first: nothing below (hashes, chunks, the embedding provider, storage) sees what it removes.
    const { text, title, piiCounts } = this.applyPiiPolicy(policy, namespace, req.text, req.title ?? null);
    const metadata = req.metadata ?? {};
    const subjectIds = [...new Set(req.subject_ids ?? [])].sort();
    return {
      write: {
        namespace,
        docId: req.doc_id,
        title,
        text,
        metadata,
        piiCounts,
        subjectIds,
        // The hash is of the text as stored (after redaction), so the same input is still "unchanged".
        docHash: sha256Hex(text),
        metaHash: sha256Hex(canonicalJson({ title, metadata, subjectIds })),
        embeddingVersion: this.embedder.version,
        acceptedAt,
        subjectHashes: subjectIds.map((id) => subjectHash(this.config.GOVERNANCE_SIGNING_KEY, id)),
      },
    };
  }

  /** Counts what a committed group did (never a plan that was abandoned or rolled back). */
  private counted(results: UpsertResult[], plan: GroupPlan): UpsertResult[] {
    const bytes = new Map(plan.pending.map((p) => [p.prepared.write.docId, Buffer.byteLength(p.prepared.write.text)]));
    for (const result of results) {
      if (!('response' in result)) continue;
      const { status, chunks, doc_id: docId } = result.response;
      this.metrics.ingestDocuments.inc({ status });
      if (status === 'unchanged') continue;
      this.metrics.ingestChunks.inc(chunks);
      this.metrics.ingestBytes.inc(bytes.get(docId) ?? 0);
    }
    return results;
  }

  private respond(p: Prepared, status: UpsertDocumentResponse['status'], chunks: number): UpsertDocumentResponse {
    return {
      doc_id: p.write.docId,
      namespace: p.write.namespace,
      status,
      doc_hash: p.write.docHash,
      chunks,
      embedding_version: p.write.embeddingVersion,
      pii_counts: p.write.piiCounts,
    };
  }

  private applyPiiPolicy(
    policy: PiiPolicy,
    namespace: string,
    text: string,
    title: string | null,
  ): { text: string; title: string | null; piiCounts: DetectedPii } {
    if (policy === 'off') return { text, title, piiCounts: {} };
    const body = redactPii(text);
    const heading = title === null ? null : redactPii(title);
    const piiCounts: DetectedPii = { ...body.counts };
    for (const [type, n] of Object.entries(heading?.counts ?? {}))
      piiCounts[type as keyof DetectedPii] = (piiCounts[type as keyof DetectedPii] ?? 0) + (n ?? 0);
    if (policy === 'reject' && body.total + (heading?.total ?? 0) > 0) {
      const found = Object.entries(piiCounts)
        .map(([type, n]) => `${n} ${type}`)
        .join(', ');
      throw new AppError(
        ErrorCode.PiiDetected,
        `the document contains personal data (${found}) and namespace "${namespace}" rejects PII; remove it or use the redact policy`,
        {
          details: { pii_counts: piiCounts },
        },
      );
    }
    return { text: body.text, title: heading?.text ?? null, piiCounts };
  }
}
