import {
  JobResponse,
  ListDeadLettersQuery,
  ListDeadLettersQuerySchema,
  ListDeadLettersResponse,
  TenantId,
  UuidParamSchema,
} from '@datafactory/contracts';
import { DeadLettersRepository, JobsRepository, kickOutbox } from '@datafactory/jobs';
import { InternalAuthGuard, TenantOrAdmin, ZodValidationPipe, decodeCursor, keysetPage } from '@datafactory/service-kit';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { toDeadLetter, toJobResponse } from '../jobs/job.mapper';
import { Redis } from 'ioredis';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from '../job-orchestrator.config';

/** Dead letters: tenant-scoped for tenant keys, every tenant's for the admin token. */
@Controller('v1/dlq')
@UseGuards(InternalAuthGuard)
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersRepository,
    private readonly jobs: JobsRepository,
    @Inject(Redis) private readonly redis: Redis,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: JobOrchestratorConfig,
  ) {}

  @Get()
  async list(
    @TenantOrAdmin() tenantId: TenantId | null,
    @Query(new ZodValidationPipe(ListDeadLettersQuerySchema, 'query')) query: ListDeadLettersQuery,
  ): Promise<ListDeadLettersResponse> {
    const before = decodeCursor(query.cursor, ['created_at', 'job_id']);
    const rows = await this.deadLetters.list(
      tenantId,
      query.limit,
      before ? { createdAt: before.created_at, jobId: before.job_id } : undefined,
    );
    const { page, nextCursor } = keysetPage(rows, query.limit, (last) => ({
      created_at: last.createdAt.toISOString(),
      job_id: last.jobId,
    }));
    return { items: page.map(toDeadLetter), next_cursor: nextCursor };
  }

  /** Puts the job back on its queue with a fresh set of attempts; it keeps its id and its finished items. */
  @Post(':jobId/replay')
  @HttpCode(202)
  async replay(
    @TenantOrAdmin() tenantId: TenantId | null,
    @Param('jobId', new ZodValidationPipe(UuidParamSchema, 'job_id')) jobId: string,
  ): Promise<JobResponse> {
    const job = await this.jobs.replay(tenantId, jobId);
    // The relay may run in another replica (OUTBOX_RELAY_ENABLED=false here): tell it over Redis.
    await kickOutbox(this.redis, this.config.QUEUE_PREFIX);
    return toJobResponse(job);
  }
}
