import { JobCounts, JobFailure } from '@datafactory/contracts';
import { DocumentForRebuild, DocumentsRepository } from '@datafactory/ingest-data';
import { JobLeaseRepository } from '@datafactory/jobs';
import { Inject, Injectable } from '@nestjs/common';
import { VectorIndexer } from '../documents/vector-indexer';
import { UpsertDocumentUseCase } from '../documents/upsert-document.use-case';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';
import { WRITE_GROUP_MAX_BYTES, textBytes, writeGroups } from './write-groups';

const PAGE = 100;

interface Checkpoint {
  after: string | null;
  processed: number;
  counts: JobCounts;
  failures: JobFailure[];
}

/**
 * Re-chunks and re-embeds every active document of a namespace with the current configuration, in doc_id
 * order, a write group at a time. Progress and a checkpoint are saved at most every 250 ms, so a rerun resumes close to where the
 * last attempt stopped (redoing a group or a few is harmless: the write is idempotent). Writes are fenced.
 */
@Injectable()
export class IndexRebuildHandler implements JobHandler {
  readonly type = 'index_rebuild' as const;

  constructor(
    private readonly leases: JobLeaseRepository,
    private readonly documents: DocumentsRepository,
    private readonly upsert: UpsertDocumentUseCase,
    private readonly vectorIndexer: VectorIndexer,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  async run(ctx: JobContext): Promise<HandlerOutcome> {
    const { job } = ctx.lease;
    const saved = job.params['checkpoint'] as Checkpoint | undefined;
    const cp: Checkpoint = {
      after: null,
      processed: 0,
      counts: { created: 0, updated: 0, unchanged: 0, failed: 0 },
      failures: [],
      ...saved,
    };
    const total = cp.processed + (await this.documents.countActive(job.tenantId, job.namespace, cp.after));
    await ctx.progress({ total, processed: cp.processed, counts: cp.counts }, true);

    for (;;) {
      const docs = await this.documents.listForRebuild(job.tenantId, job.namespace, cp.after, PAGE);
      if (docs.length === 0) break;
      const limits = { docs: this.config.WORKER_WRITE_GROUP_DOCS, bytes: WRITE_GROUP_MAX_BYTES };
      for (const group of writeGroups(docs, limits, (doc) => doc.docId, textBytes)) {
        if (ctx.shouldYield()) return { kind: 'yielded' };
        const results = await this.upsert.executeGroup(
          job.tenantId,
          job.namespace,
          group.map((doc) => ({
            namespace: job.namespace,
            doc_id: doc.docId,
            text: doc.text,
            ...(doc.title === null ? {} : { title: doc.title }),
            metadata: doc.metadata as never,
            subject_ids: doc.subjectIds,
          })),
          { force: true, settle: (tx) => this.leases.assertLease(tx, ctx.lease), acceptedAt: job.createdAt },
        );
        results.forEach((res, k) => {
          // A document the ingest path refuses alone (e.g. the provider rejects it) fails alone; it keeps its old chunks.
          if ('error' in res) {
            cp.counts.failed++;
            cp.failures.push({ doc_id: (group[k] as DocumentForRebuild).docId, code: res.error.code, message: res.error.message });
          } else {
            cp.counts[res.response.status]++;
          }
        });
        cp.processed += group.length;
        cp.after = (group[group.length - 1] as DocumentForRebuild).docId;
        if (await ctx.progress({ processed: cp.processed, counts: cp.counts, checkpoint: { ...cp } })) {
          return { kind: 'cancelled', result: { counts: cp.counts, failures: cp.failures } };
        }
      }
    }
    await ctx.progress({ processed: cp.processed, counts: cp.counts, checkpoint: { ...cp } }, true);
    await this.vectorIndexer.awaitIndex(job.tenantId, job.namespace, () => ctx.shouldYield());
    return { kind: 'completed', result: { counts: cp.counts, failures: cp.failures } };
  }
}
