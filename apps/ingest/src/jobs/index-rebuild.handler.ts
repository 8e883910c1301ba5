import { AppError, JobCounts, JobFailure } from '@datafactory/contracts';
import { DocumentsRepository, JobsRepository } from '@datafactory/db';
import { Injectable } from '@nestjs/common';
import { UpsertDocumentUseCase } from '../documents/upsert-document.use-case';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';

const PAGE = 20;

interface Checkpoint {
  after: string | null;
  processed: number;
  counts: JobCounts;
  failures: JobFailure[];
}

/**
 * Re-chunks and re-embeds every active document of a namespace with the current configuration, in doc_id
 * order. Progress and a checkpoint are saved at most every 250 ms, so a rerun resumes close to where the
 * last attempt stopped (redoing a few documents is harmless: the write is idempotent). Writes are fenced.
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
    const cp: Checkpoint = { after: null, processed: 0, counts: { created: 0, updated: 0, unchanged: 0, failed: 0 }, failures: [], ...saved };
    const total = cp.processed + (await this.documents.countActive(job.tenantId, job.namespace, cp.after));
    await ctx.progress({ total, processed: cp.processed, counts: cp.counts }, true);

    for (;;) {
      const docs = await this.documents.listForRebuild(job.tenantId, job.namespace, cp.after, PAGE);
      if (docs.length === 0) break;
      for (const doc of docs) {
        if (ctx.shouldYield()) return { kind: 'yielded' };
        try {
          const res = await this.upsert.execute(
            job.tenantId,
            { namespace: job.namespace, doc_id: doc.docId, text: doc.text, ...(doc.title === null ? {} : { title: doc.title }), metadata: doc.metadata as never, subject_ids: doc.subjectIds },
            { force: true, hook: (tx) => this.jobs.assertLease(tx, ctx.lease), acceptedAt: job.createdAt },
          );
          cp.counts[res.status]++;
        } catch (error) {
          // A document the ingest path rejects (e.g. the provider refuses it) fails alone; it keeps its old chunks.
          if (!(error instanceof AppError) || error.status >= 500) throw error;
          cp.counts.failed++;
          cp.failures.push({ doc_id: doc.docId, code: error.code, message: error.message });
        }
        cp.processed++;
        cp.after = doc.docId;
        if (await ctx.progress({ processed: cp.processed, counts: cp.counts, checkpoint: { ...cp } })) {
          return { kind: 'cancelled', result: { counts: cp.counts, failures: cp.failures } };
        }
      }
    }
    await ctx.progress({ processed: cp.processed, counts: cp.counts, checkpoint: { ...cp } }, true);
    return { kind: 'completed', result: { counts: cp.counts, failures: cp.failures } };
  }

}
