import {
  AppError,
  BatchUpsertRequest,
  BatchUpsertRequestSchema,
  ErrorCode,
  InternalHeader,
  JobAcceptedResponse,
  JobEventsResponse,
  JobResponse,
  ListJobsQuery,
  ListJobsQuerySchema,
  ListJobsResponse,
  QueueStatsResponse,
  RebuildIndexRequest,
  RebuildIndexRequestSchema,
  TenantId,
  UuidParamSchema,
} from '@datafactory/contracts';
import { JobOrigin, JobsRepository } from '@datafactory/jobs';
import {
  InternalAuthGuard,
  Tenant,
  currentTraceparent,
  TenantOrAdmin,
  ZodValidationPipe,
  decodeCursor,
  keysetPage,
} from '@datafactory/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CancelJobUseCase } from './cancel-job.use-case';
import { CreateJobUseCase } from './create-job.use-case';
import { toJobEvent, toJobResponse } from './job.mapper';
import { QueueStatsUseCase } from './queue-stats.use-case';

const jobIdPipe = new ZodValidationPipe(UuidParamSchema, 'job_id');
const afterPipe = new ZodValidationPipe(z.object({ after: z.coerce.number().int().min(0).default(0) }), 'query');

function origin(headers: Record<string, string | undefined>): JobOrigin {
  // The job continues this request's trace: the worker's span becomes a child of the span handling it here.
  const traceparent = currentTraceparent();
  return {
    ...(headers[InternalHeader.IdempotencyKey] ? { idempotencyKey: headers[InternalHeader.IdempotencyKey] } : {}),
    ...(headers[InternalHeader.RequestHash] ? { requestHash: headers[InternalHeader.RequestHash] } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
}

/** Internal jobs API; the gateway authenticates and forwards. */
@Controller('v1')
@UseGuards(InternalAuthGuard)
export class JobsController {
  constructor(
    private readonly createJob: CreateJobUseCase,
    private readonly cancelJob: CancelJobUseCase,
    private readonly queueStats: QueueStatsUseCase,
    private readonly jobs: JobsRepository,
  ) {}

  @Post('docs/upsert/batch')
  @HttpCode(202)
  batch(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(BatchUpsertRequestSchema, 'batch')) body: BatchUpsertRequest,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<JobAcceptedResponse> {
    return this.createJob.batch(tenantId, body, origin(headers));
  }

  @Post('index/rebuild')
  @HttpCode(202)
  rebuild(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(RebuildIndexRequestSchema, 'rebuild request')) body: RebuildIndexRequest,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<JobAcceptedResponse> {
    return this.createJob.rebuild(tenantId, body, origin(headers));
  }

  @Get('jobs')
  async list(
    @Tenant() tenantId: TenantId,
    @Query(new ZodValidationPipe(ListJobsQuerySchema, 'query')) query: ListJobsQuery,
  ): Promise<ListJobsResponse> {
    const before = decodeCursor(query.cursor, ['created_at', 'id']);
    const rows = await this.jobs.list(tenantId, {
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.type ? { type: query.type } : {}),
      ...(before ? { before: { createdAt: before.created_at, id: before.id } } : {}),
    });
    const { page, nextCursor } = keysetPage(rows, query.limit, (last) => ({ created_at: last.createdAt.toISOString(), id: last.id }));
    return { items: page.map(toJobResponse), next_cursor: nextCursor };
  }

  @Get('jobs/:jobId')
  async get(@Tenant() tenantId: TenantId, @Param('jobId', jobIdPipe) jobId: string): Promise<JobResponse> {
    const job = await this.jobs.get(tenantId, jobId);
    if (!job) throw new AppError(ErrorCode.JobNotFound, `no job ${jobId}`);
    return toJobResponse(job);
  }

  @Get('jobs/:jobId/events')
  async events(
    @Tenant() tenantId: TenantId,
    @Param('jobId', jobIdPipe) jobId: string,
    @Query(afterPipe) query: { after: number },
  ): Promise<JobEventsResponse> {
    const job = await this.jobs.get(tenantId, jobId);
    if (!job) throw new AppError(ErrorCode.JobNotFound, `no job ${jobId}`);
    // Status first, then events: a terminal status read here means its terminal event is in the list or before it.
    return { items: (await this.jobs.events(tenantId, jobId, query.after)).map(toJobEvent), status: job.status };
  }

  @Post('jobs/:jobId/cancel')
  @HttpCode(200)
  cancel(@Tenant() tenantId: TenantId, @Param('jobId', jobIdPipe) jobId: string): Promise<JobResponse> {
    return this.cancelJob.execute(tenantId, jobId);
  }

  @Get('queue/stats')
  stats(@TenantOrAdmin() tenantId: TenantId | null): Promise<QueueStatsResponse> {
    return this.queueStats.execute(tenantId);
  }
}
