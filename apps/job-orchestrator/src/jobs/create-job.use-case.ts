import {
  AppError,
  BatchUpsertRequest,
  DEFAULT_NAMESPACE,
  ErrorCode,
  JobAcceptedResponse,
  JobPriority,
  QueueName,
  RebuildIndexRequest,
  TenantId,
} from '@datafactory/contracts';
import { JobsRepository, NewJob } from '@datafactory/db';
import { pingRedis } from '@datafactory/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from '../job-orchestrator.config';
import { OutboxRelay } from '../relay/outbox-relay.service';

export interface RequestOrigin {
  idempotencyKey?: string;
  requestHash?: string;
  traceparent?: string;
}

/**
 * Accepts a job: the job row, its staged documents and its outbox row commit together, so once the
 * caller has the 202 the job will run even if this process, Redis or a worker dies afterwards.
 */
@Injectable()
export class CreateJobUseCase {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly relay: OutboxRelay,
    @Inject(Redis) private readonly redis: Redis,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: JobOrchestratorConfig,
  ) {}

  async batch(tenantId: TenantId, req: BatchUpsertRequest, origin: RequestOrigin): Promise<JobAcceptedResponse> {
    if (req.documents.length > this.config.BATCH_MAX_DOCUMENTS) {
      throw new AppError(
        ErrorCode.BatchTooLarge,
        `a batch may hold at most ${this.config.BATCH_MAX_DOCUMENTS} documents (BATCH_MAX_DOCUMENTS); this one has ${req.documents.length}: split it`,
      );
    }
    const ids = new Set<string>();
    const duplicates = req.documents.filter((d) => (ids.has(d.doc_id) ? true : (ids.add(d.doc_id), false))).map((d) => d.doc_id);
    if (duplicates.length > 0) {
      throw new AppError(
        ErrorCode.InvalidRequest,
        `each doc_id may appear once per batch; repeated: ${[...new Set(duplicates)].slice(0, 5).join(', ')}`,
        {
          details: { duplicate_doc_ids: [...new Set(duplicates)].slice(0, 100) },
        },
      );
    }
    const priority = req.documents.length <= this.config.INTERACTIVE_BATCH_MAX ? JobPriority.Interactive : JobPriority.Batch;
    return this.create(
      tenantId,
      { type: 'batch_upsert', namespace: req.namespace ?? DEFAULT_NAMESPACE, priority, documents: req.documents },
      origin,
    );
  }

  async rebuild(tenantId: TenantId, req: RebuildIndexRequest, origin: RequestOrigin): Promise<JobAcceptedResponse> {
    return this.create(
      tenantId,
      { type: 'index_rebuild', namespace: req.namespace ?? DEFAULT_NAMESPACE, priority: JobPriority.Maintenance },
      origin,
    );
  }

  private async create(
    tenantId: TenantId,
    job: Pick<NewJob, 'type' | 'namespace' | 'priority' | 'documents'>,
    origin: RequestOrigin,
  ): Promise<JobAcceptedResponse> {
    // Refuse new work while the queue is unreachable, so clients back off; accepted work is safe in Postgres.
    await pingRedis(this.redis).catch((error: unknown) => {
      throw new AppError(ErrorCode.QueueUnavailable, 'the job queue (Redis) is unavailable; retry in a few seconds', { cause: error });
    });
    const { job: row } = await this.jobs.create(tenantId, {
      ...job,
      queue: QueueName.Ingest,
      maxAttempts: this.config.JOB_MAX_ATTEMPTS,
      ...(origin.idempotencyKey ? { idempotencyKey: origin.idempotencyKey, requestHash: origin.requestHash ?? '' } : {}),
      ...(origin.traceparent ? { traceContext: origin.traceparent } : {}),
    });
    this.relay.kick();
    return { job_id: row.id, status: row.status };
  }
}
