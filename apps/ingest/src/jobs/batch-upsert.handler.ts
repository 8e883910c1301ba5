import { DEFAULT_NAMESPACE } from '@datafactory/contracts';
import { ItemSettlement, JobItem, JobItemsRepository } from '@datafactory/jobs';
import { Inject, Injectable } from '@nestjs/common';
import { VectorIndexer } from '../documents/vector-indexer';
import { GroupPlan, UpsertDocumentUseCase, UpsertResult } from '../documents/upsert-document.use-case';
import { INGEST_CONFIG, IngestConfig } from '../ingest.config';
import { HandlerOutcome, JobContext, JobHandler } from './job-handler';
import { WRITE_GROUP_MAX_BYTES, textBytes, writeGroups } from './write-groups';

const PAGE = 200;

/**
 * Upserts a batch's staged documents in order, a group at a time. A group's documents are written in the same
 * transaction that marks their items settled (fenced by the lease), so a rerun continues exactly where the last
 * attempt stopped and never writes a document twice. A document the ingest path refuses alone (invalid for the
 * namespace, rejected by the provider, erased) fails alone; anything else fails the attempt, and it is retried.
 */
@Injectable()
export class BatchUpsertHandler implements JobHandler {
  readonly type = 'batch_upsert' as const;

  constructor(
    private readonly items: JobItemsRepository,
    private readonly upsert: UpsertDocumentUseCase,
    private readonly vectorIndexer: VectorIndexer,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  async run(ctx: JobContext): Promise<HandlerOutcome> {
    const { job } = ctx.lease;
    const namespace = job.namespace || DEFAULT_NAMESPACE;
    try {
      return await this.write(ctx, namespace);
    } catch (err) {
      // Other jobs of the scope may have left its index to this one; whatever it wrote is indexed in any case.
      this.vectorIndexer.ensureSoon(job.tenantId, namespace);
      throw err;
    }
  }

  private async write(ctx: JobContext, namespace: string): Promise<HandlerOutcome> {
    const { job } = ctx.lease;
    const plan = (group: JobItem[]): Promise<GroupPlan> => {
      const docs = group.map((item) => ({ ...item.body, namespace, doc_id: item.docId }));
      return quiet(this.upsert.planGroup(job.tenantId, namespace, docs, { acceptedAt: job.createdAt }));
    };
    let after = -1;
    for (;;) {
      const items = await this.items.pendingItems(job.id, after, PAGE);
      if (items.length === 0) break;
      const limits = { docs: this.config.WORKER_WRITE_GROUP_DOCS, bytes: WRITE_GROUP_MAX_BYTES };
      const groups = writeGroups(
        items,
        limits,
        (item) => item.docId,
        (item) => textBytes(item.body),
      );
      // The next group is chunked and embedded while the current one commits (CPU here, index work in Postgres),
      // unless it repeats one of its documents: its unchanged check must then see the current group's write.
      let next: Promise<GroupPlan> | undefined = plan(groups[0] as JobItem[]);
      for (const [k, group] of groups.entries()) {
        if (ctx.shouldYield()) return { kind: 'yielded' };
        const current = await (next ?? plan(group));
        const following = groups[k + 1];
        next = following && !sharesDocument(group, following) && !ctx.shouldYield() ? plan(following) : undefined;
        await this.upsert.commitGroup(job.tenantId, current, {
          // Items without a result stay pending: the provider failed at or before them, and the attempt will throw.
          settle: (tx, results) =>
            this.items.settleItems(
              tx,
              ctx.lease,
              group.flatMap((item, i) => {
                const result = results[i];
                return result ? [{ ordinal: item.ordinal, ...settlement(result) }] : [];
              }),
            ),
        });
        after = (group[group.length - 1] as JobItem).ordinal;
        if (await ctx.progress({})) {
          this.vectorIndexer.ensureSoon(job.tenantId, namespace);
          return { kind: 'cancelled', result: await this.items.itemSummary(job.id) };
        }
      }
    }
    await ctx.progress({}, true);
    // A large first load into a scope is indexed once, in bulk, by the last of its batch jobs to finish writing
    // (the jobs before it complete with their documents searched exactly until then), and before that job completes.
    if (!(await this.items.otherBatchesWriting(job.tenantId, namespace, job.id))) {
      await this.vectorIndexer.awaitIndex(job.tenantId, namespace, () => ctx.shouldYield());
    }
    return { kind: 'completed', result: await this.items.itemSummary(job.id) };
  }
}

function sharesDocument(a: JobItem[], b: JobItem[]): boolean {
  const ids = new Set(a.map((item) => item.docId));
  return b.some((item) => ids.has(item.docId));
}

/** A plan made ahead may be abandoned (the attempt stops first): its failure must not become an unhandled rejection. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function settlement(result: UpsertResult): ItemSettlement {
  return 'error' in result ? { error: { code: result.error.code, message: result.error.message } } : { outcome: result.response.status };
}
