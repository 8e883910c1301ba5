import { AuditRepository } from '@datafactory/audit';
import { ErasureRepository } from '@datafactory/erasure';
import { RetentionSweepRepository } from '@datafactory/ingest-data';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';

/**
 * One tenant's retention sweep: hard-deletes documents past their retention (unless on legal hold) and
 * purges soft-deleted ones past their grace period, in bounded batches, through the erasure deletion path
 * (documents, chunks, embedding-cache entries nothing else uses, staged items, stored responses). Audited.
 */
@Injectable()
export class RetentionSweepHandler implements JobHandler {
  readonly type = 'retention_sweep' as const;

  constructor(
    private readonly retention: RetentionSweepRepository,
    private readonly erasures: ErasureRepository,
    private readonly audit: AuditRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly metrics: Metrics,
  ) {}

  async run(ctx: JobContext): Promise<HandlerOutcome> {
    const { job } = ctx.lease;
    const defaults = { maxAgeDays: this.config.RETENTION_DEFAULT_DAYS, deletedGraceDays: this.config.RETENTION_DELETED_GRACE_DAYS };
    let expired = 0;
    let purged = 0;
    for (;;) {
      if (ctx.shouldYield()) return { kind: 'yielded' };
      const batch = await this.retention.candidates(job.tenantId, defaults, this.config.RETENTION_SWEEP_BATCH);
      const ids = [...batch.expired, ...batch.softDeleted];
      if (ids.length === 0) break;
      await this.erasures.erase(job.tenantId, { scope: 'ids', documentIds: ids, namespace: null, docId: null, subjectId: null });
      expired += batch.expired.length;
      purged += batch.softDeleted.length;
      const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
      if (await ctx.progress({ total: expired + purged, processed: expired + purged, counts }, true)) break;
    }
    const unreferenced = await this.erasures.purgeUnreferencedEmbeddings();
    this.metrics.retentionSweeps.inc();
    this.metrics.retentionDeleted.inc({ reason: 'expired' }, expired);
    this.metrics.retentionDeleted.inc({ reason: 'purged' }, purged);
    await this.audit.append({
      tenantId: job.tenantId,
      actor: 'system:retention',
      action: 'retention.sweep',
      target: job.id,
      requestId: null,
      traceId: null,
      details: { expired_deleted: expired, soft_deleted_purged: purged, unreferenced_embeddings: unreferenced },
    });
    return { kind: 'completed', result: { counts: { created: 0, updated: 0, unchanged: 0, failed: 0 }, failures: [] } };
  }
}
