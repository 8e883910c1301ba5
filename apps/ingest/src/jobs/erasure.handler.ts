import { AppError, ErasureCertificate, ErrorCode, TenantId } from '@datafactory/contracts';
import { AuditRepository } from '@datafactory/audit';
import { ERASURE_STORES, ErasureRepository, ErasureRow, ErasureTarget, StoreCount } from '@datafactory/erasure';
import { VectorIndexRepository } from '@datafactory/ingest-data';
import { JobsRepository } from '@datafactory/jobs';
import { canonicalJson } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';

interface ErasureOutcome {
  documents: number;
  before: StoreCount[];
  after: StoreCount[];
  unreferenced: number;
  /** HNSW indexes of the erased namespace (or tenant); null when the scope has none of its own. */
  indexes: { before: number; after: number } | null;
}

/**
 * Executes a GDPR erasure (ingest owns the documents, chunks and embedding cache it removes): tombstone
 * first, so a write accepted earlier cannot bring the data back; then everything the scope covers, in one
 * transaction; then the same count queries again as verification, in a certificate signed with
 * GOVERNANCE_SIGNING_KEY and recorded (by its hash) in the audit chain. A dry run only counts.
 */
@Injectable()
export class ErasureHandler implements JobHandler {
  readonly type = 'erasure' as const;

  constructor(
    private readonly erasures: ErasureRepository,
    private readonly audit: AuditRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: Metrics,
    private readonly vectorIndexes: VectorIndexRepository,
    private readonly jobs: JobsRepository,
  ) {}

  async run(ctx: JobContext): Promise<HandlerOutcome> {
    const { job } = ctx.lease;
    const { request, target } = await this.load(job.tenantId, String(job.params['erasure_id']), job.params['subject_id']);
    await this.erasures.setStatus(request.id, 'running');
    await ctx.progress({ total: 1, processed: 0 }, true);

    const outcome = await this.erase(request, target);
    const certificate = this.certificate(request, outcome);
    await this.erasures.setStatus(request.id, 'completed', certificate);
    this.metrics.erasures.inc({ scope: request.scope, kind: request.dryRun ? 'dry_run' : 'erase' });
    await this.audit.append({
      tenantId: request.tenantId,
      actor: 'system:erasure',
      action: 'erasure.complete',
      target: request.id,
      requestId: null,
      traceId: null,
      details: {
        scope: request.scope,
        dry_run: request.dryRun,
        ...(request.subjectHash ? { subject_hash: request.subjectHash } : {}),
        documents: outcome.documents,
        certificate_sha256: createHash('sha256').update(canonicalJson(certificate)).digest('hex'),
      },
    });
    await this.jobs.scrubJobParams(job.id);
    await ctx.progress({ total: 1, processed: 1 }, true);
    return { kind: 'completed', result: { counts: { created: 0, updated: 0, unchanged: 0, failed: 0 }, failures: [] } };
  }

  /** The request and what it covers; the raw subject id travels only in the job's parameters. */
  private async load(tenantId: TenantId, erasureId: string, subjectId: unknown): Promise<{ request: ErasureRow; target: ErasureTarget }> {
    const request = await this.erasures.get(tenantId, erasureId);
    if (!request) throw new AppError(ErrorCode.ErasureNotFound, `erasure ${erasureId} not found`);
    const target: ErasureTarget = {
      scope: request.scope,
      namespace: request.namespace,
      docId: request.docId,
      subjectId: typeof subjectId === 'string' ? subjectId : null,
    };
    if (request.scope === 'subject' && !target.subjectId) {
      // Permanent: a retry cannot bring the id back; the operator files a new request (runbooks/failed-erasure.md).
      throw new AppError(ErrorCode.Conflict, `erasure ${erasureId}: the subject id is no longer available; file a new erasure request`);
    }
    return { request, target };
  }

  /** Tombstone, count, delete, count again (a dry run only counts). */
  private async erase(request: ErasureRow, target: ErasureTarget): Promise<ErasureOutcome> {
    const tenantId = request.tenantId;
    if (!request.dryRun) await this.erasures.tombstone(request);
    const before = await this.erasures.countStores(this.erasures.connection(), tenantId, target);
    const documents = before.find((s) => s.store === 'postgres.documents')?.count ?? 0;
    if (request.dryRun) return { documents, before, after: before, unreferenced: 0, indexes: null };
    await this.erasures.erase(tenantId, target);
    const unreferenced = await this.erasures.purgeUnreferencedEmbeddings();
    // A namespace's HNSW index names the tenant and the namespace in its definition.
    const indexes =
      request.scope === 'namespace' || request.scope === 'tenant'
        ? await this.vectorIndexes.dropScopeIndexes(tenantId, request.scope === 'namespace' ? request.namespace : null)
        : null;
    const after = await this.erasures.countStores(this.erasures.connection(), tenantId, target);
    return { documents, before, after, unreferenced, indexes };
  }

  private certificate(request: ErasureRow, o: ErasureOutcome): ErasureCertificate {
    return this.sign({
      erasure_id: request.id,
      tenant_id: request.tenantId,
      scope: request.scope,
      target: { namespace: request.namespace, doc_id: request.docId, subject_hash: request.subjectHash },
      dry_run: request.dryRun,
      requested_at: request.requestedAt.toISOString(),
      completed_at: new Date().toISOString(),
      documents: o.documents,
      stores: [
        ...o.before.map((b, i) => ({
          store: b.store,
          before: b.count,
          after: o.after[i]?.count ?? 0,
          removed: request.dryRun ? 0 : b.count - (o.after[i]?.count ?? 0),
        })),
        ...(request.dryRun
          ? []
          : [{ store: 'postgres.embedding_cache (unreferenced)', before: o.unreferenced, after: 0, removed: o.unreferenced }]),
        ...(o.indexes ? [{ store: 'postgres.vector_indexes', ...o.indexes, removed: o.indexes.before - o.indexes.after }] : []),
      ],
      verification: ERASURE_STORES.map((s, i) => ({
        check: `${s.store} left`,
        query: s.count.replace(/\s+/g, ' ').trim(),
        result: o.after[i]?.count ?? 0,
      })),
    });
  }

  private sign(body: Omit<ErasureCertificate, 'signature'>): ErasureCertificate {
    const value = createHmac('sha256', this.config.GOVERNANCE_SIGNING_KEY).update(canonicalJson(body)).digest('hex');
    return { ...body, signature: { alg: 'HMAC-SHA256', value } };
  }
}
