import {
  AppError,
  BatchUpsertRequest,
  DEFAULT_NAMESPACE,
  ErrorCode,
  JobAcceptedResponse,
  JobPriority,
  RebuildIndexRequest,
  TenantId,
} from '@datafactory/contracts';
import { CreatedJob, JobOrigin, JobService } from '@datafactory/jobs';
import { Inject, Injectable } from '@nestjs/common';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from '../job-orchestrator.config';

/** Checks what only the API asks of a batch, then hands the job to JobService (`@datafactory/jobs`). */
@Injectable()
export class CreateJobUseCase {
  constructor(
    private readonly jobs: JobService,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: JobOrchestratorConfig,
  ) {}

  async batch(tenantId: TenantId, req: BatchUpsertRequest, origin: JobOrigin): Promise<JobAcceptedResponse> {
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
    return accepted(
      await this.jobs.create(
        tenantId,
        { type: 'batch_upsert', namespace: req.namespace ?? DEFAULT_NAMESPACE, priority, documents: req.documents },
        origin,
      ),
    );
  }

  async rebuild(tenantId: TenantId, req: RebuildIndexRequest, origin: JobOrigin): Promise<JobAcceptedResponse> {
    return accepted(await this.jobs.create(tenantId, { type: 'index_rebuild', namespace: req.namespace ?? DEFAULT_NAMESPACE }, origin));
  }
}

function accepted({ job }: CreatedJob): JobAcceptedResponse {
  return { job_id: job.id, status: job.status };
}
