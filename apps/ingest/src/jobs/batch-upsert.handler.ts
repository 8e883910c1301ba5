import { AppError, DEFAULT_NAMESPACE } from '@datafactory/contracts';
import { JobsRepository } from '@datafactory/db';
import { Injectable } from '@nestjs/common';
import { UpsertDocumentUseCase } from '../documents/upsert-document.use-case';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';

const PAGE = 50;

/**
 * Upserts a batch's staged documents in order. Each document is written in the same transaction that
 * marks its item done (fenced by the lease), so a rerun continues exactly where the last attempt
 * stopped and never writes a document twice. A document the ingest path rejects (4xx) fails alone.
 */
@Injectable()
export class BatchUpsertHandler implements JobHandler {
  readonly type = 'batch_upsert' as const;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly upsert: UpsertDocumentUseCase,
  ) {}

  async run(ctx: JobContext): Promise<HandlerOutcome> {
    const { job } = ctx.lease;
    let after = -1;
    for (;;) {
      const items = await this.jobs.pendingItems(job.id, after, PAGE);
      if (items.length === 0) break;
      for (const item of items) {
        if (ctx.shouldYield()) return { kind: 'yielded' };
        try {
          await this.upsert.execute(
            job.tenantId,
            { ...item.body, namespace: job.namespace || DEFAULT_NAMESPACE, doc_id: item.docId },
            { hook: (tx, status) => this.jobs.settleItem(tx, ctx.lease, item.ordinal, { outcome: status }), acceptedAt: job.createdAt },
          );
        } catch (error) {
          if (!(error instanceof AppError) || error.status >= 500) throw error;
          await this.jobs.settleItem(this.jobs.connection(), ctx.lease, item.ordinal, { error: { code: error.code, message: error.message } });
        }
        after = item.ordinal;
        if (await ctx.progress({})) return { kind: 'cancelled', result: await this.jobs.itemSummary(job.id) };
      }
    }
    await ctx.progress({}, true);
    return { kind: 'completed', result: await this.jobs.itemSummary(job.id) };
  }
}
