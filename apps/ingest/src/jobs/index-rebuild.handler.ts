import { JobCounts } from '@datafactory/contracts';
import { DocumentsRepository, JobsRepository } from '@datafactory/db';
import { Injectable } from '@nestjs/common';
import { UpsertDocumentUseCase } from '../documents/upsert-document.use-case';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';

const PAGE = 20;

interface Checkpoint {
  after: string | null;
  processed: number;
  counts: JobCounts;
}

/**
 * Re-chunks and re-embeds every active document of a namespace with the current configuration, in doc_id
 * order, checkpointing after each document so a rerun resumes. Writes are fenced by the lease.
 */
@Injectable()
export class IndexRebuildHandler implements JobHandler {
  readonly type = 'index_rebuild' as const;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly documents: DocumentsRepository,
    private readonly upsert: UpsertDocumentUseCase,
  ) {}

  async run(ctx: JobContext): Promise<HandlerOutcome> {
    const { job } = ctx.lease;
    const saved = job.params['checkpoint'] as Checkpoint | undefined;
    const cp: Checkpoint = saved ?? { after: null, processed: 0, counts: { created: 0, updated: 0, unchanged: 0, failed: 0 } };
    const total = cp.processed + (await this.documents.countActive(job.tenantId, job.namespace, cp.after));
    await ctx.progress({ total, processed: cp.processed, counts: cp.counts }, true);

    for (;;) {
      const docs = await this.documents.listForRebuild(job.tenantId, job.namespace, cp.after, PAGE);
      if (docs.length === 0) break;
      for (const doc of docs) {
        if (ctx.shouldYield()) return { kind: 'yielded' };
        const res = await this.upsert.execute(
          job.tenantId,
          { namespace: job.namespace, doc_id: doc.docId, text: doc.text, ...(doc.title === null ? {} : { title: doc.title }), metadata: doc.metadata as never, subject_ids: doc.subjectIds },
          { force: true, hook: (tx) => this.jobs.assertLease(tx, ctx.lease) },
        );
        cp.counts[res.status]++;
        cp.processed++;
        cp.after = doc.docId;
        if (await ctx.progress({ processed: cp.processed, counts: cp.counts, checkpoint: { ...cp } })) {
          return { kind: 'cancelled', result: { counts: cp.counts, failures: [] } };
        }
      }
    }
    await ctx.progress({ processed: cp.processed, counts: cp.counts, checkpoint: { ...cp } }, true);
    return { kind: 'completed', result: { counts: cp.counts, failures: [] } };
  }

}
