import { AppError, ErasureCertificate, ErrorCode } from '@datafactory/contracts';
import { AuditRepository } from '@datafactory/audit';
import { ERASURE_STORES, ErasureRepository, ErasureTarget, StoreCount } from '@datafactory/erasure';
import { VectorIndexRepository } from '@datafactory/ingest-data';
import { JobsRepository } from '@datafactory/jobs';
import { canonicalJson } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';

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
    const erasureId = String(job.params['erasure_id']);
    const request = await this.erasures.get(job.tenantId, erasureId);
    if (!request) throw new AppError(ErrorCode.ErasureNotFound, `erasure ${erasureId} not found`);
    const target: ErasureTarget = {
      scope: request.scope,
      namespace: request.namespace,
      docId: request.docId,
      subjectId: (job.params['subject_id'] as string | undefined) ?? null,
    };
    if (request.scope === 'subject' && !target.subjectId) {
      // Permanent: a retry cannot bring the id back; the operator files a new request (runbooks/failed-erasure.md).
      throw new AppError(ErrorCode.Conflict, `erasure ${erasureId}: the subject id is no longer available; file a new erasure request`);
    }
    await this.erasures.setStatus(erasureId, 'running');
    await ctx.progress({ total: 1, processed: 0 }, true);

    if (!request.dryRun) await this.erasures.tombstone(request);
    const before = await this.erasures.countStores(this.erasures.connection(), job.tenantId, target);
    const documents = before.find((s) => s.store === 'postgres.documents')?.count ?? 0;
    let after: StoreCount[] = before;
    let unreferenced = 0;
    let indexes = { before: 0, after: 0 };
    if (!request.dryRun) {
      await this.erasures.erase(job.tenantId, target);
      unreferenced = await this.erasures.purgeUnreferencedEmbeddings();
      // A namespace's HNSW index names the tenant and the namespace in its definition.
      if (request.scope === 'namespace' || request.scope === 'tenant') {
        indexes = await this.vectorIndexes.dropScopeIndexes(job.tenantId, request.scope === 'namespace' ? request.namespace : null);
      }
      after = await this.erasures.countStores(this.erasures.connection(), job.tenantId, target);
    }

    const certificate = this.sign({
      erasure_id: request.id,
      tenant_id: request.tenantId,
      scope: request.scope,
      target: { namespace: request.namespace, doc_id: request.docId, subject_hash: request.subjectHash },
      dry_run: request.dryRun,
      requested_at: request.requestedAt.toISOString(),
      completed_at: new Date().toISOString(),
      documents,
      stores: [
        ...before.map((b, i) => ({
          store: b.store,
          before: b.count,
          after: after[i]?.count ?? 0,
          removed: request.dryRun ? 0 : b.count - (after[i]?.count ?? 0),
        })),
        ...(request.dryRun
          ? []
          : [{ store: 'postgres.embedding_cache (unreferenced)', before: unreferenced, after: 0, removed: unreferenced }]),
        ...(request.dryRun || (request.scope !== 'namespace' && request.scope !== 'tenant')
          ? []
          : [{ store: 'postgres.vector_indexes', ...indexes, removed: indexes.before - indexes.after }]),
      ],
      verification: ERASURE_STORES.map((s, i) => ({
        check: `${s.store} left`,
        query: s.count.replace(/\s+/g, ' ').trim(),
        result: after[i]?.count ?? 0,
      })),
    });

    await this.erasures.setStatus(erasureId, 'completed', certificate);
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
        documents,
        certificate_sha256: createHash('sha256').update(canonicalJson(certificate)).digest('hex'),
      },
    });
    await this.jobs.scrubJobParams(job.id);
    await ctx.progress({ total: 1, processed: 1 }, true);
    return { kind: 'completed', result: { counts: { created: 0, updated: 0, unchanged: 0, failed: 0 }, failures: [] } };
  }

  private sign(body: Omit<ErasureCertificate, 'signature'>): ErasureCertificate {
    const value = createHmac('sha256', this.config.GOVERNANCE_SIGNING_KEY).update(canonicalJson(body)).digest('hex');
    return { ...body, signature: { alg: 'HMAC-SHA256', value } };
  }
}
