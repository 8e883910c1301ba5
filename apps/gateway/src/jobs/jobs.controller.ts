import {
  BatchUpsertRequest,
  BatchUpsertRequestSchema,
  JobAcceptedResponse,
  JobAcceptedResponseSchema,
  JobResponse,
  JobResponseSchema,
  ListDeadLettersQuery,
  ListDeadLettersQuerySchema,
  ListDeadLettersResponse,
  ListDeadLettersResponseSchema,
  ListJobsQuery,
  ListJobsQuerySchema,
  ListJobsResponse,
  ListJobsResponseSchema,
  QueueStatsResponse,
  QueueStatsResponseSchema,
  RebuildIndexRequest,
  RebuildIndexRequestSchema,
  UuidParamSchema,
} from '@datafactory/contracts';
import { ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CurrentPrincipal,
  CurrentTenant,
  Principal,
  RequireRole,
  RequireRoleOrAdmin,
  TenantPrincipal,
  tenantScope,
} from '../auth/auth.context';
import { IdempotentRequest, idempotencyHeaders } from '../idempotency/idempotency.interceptor';
import { Audited } from '../governance/audit.interceptor';
import { ApiErrors, ApiIdempotent, ApiJsonBody, ApiJsonResponse } from '../openapi/zod-openapi';
import { UpstreamClients, withQuery } from '../upstream.clients';
import { JobEventsStream } from './job-events.stream';

const jobIdPipe = new ZodValidationPipe(UuidParamSchema, 'job_id');

/** Durable jobs: validated here, owned by the job-orchestrator. */
@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1')
export class JobsController {
  constructor(
    private readonly upstream: UpstreamClients,
    private readonly events: JobEventsStream,
  ) {}

  @Post('docs/upsert/batch')
  @HttpCode(202)
  @Audited('batch.submit', (req, res: JobAcceptedResponse) => ({
    target: res.job_id,
    details: {
      documents: (req.body as BatchUpsertRequest).documents.length,
      namespace: (req.body as BatchUpsertRequest).namespace ?? 'default',
    },
  }))
  @RequireRole('writer')
  @ApiIdempotent()
  @ApiOperation({ summary: 'Upsert many documents as one durable job; poll GET /v1/jobs/{id} or stream its events' })
  @ApiJsonBody(BatchUpsertRequestSchema)
  @ApiJsonResponse(202, JobAcceptedResponseSchema, 'accepted: the job will reach an end state')
  @ApiErrors(400, 401, 403, 413, 503)
  async batch(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(BatchUpsertRequestSchema, 'batch')) body: BatchUpsertRequest,
    @Req() req: IdempotentRequest,
  ): Promise<JobAcceptedResponse> {
    return (
      await this.upstream.jobOrchestrator.request<JobAcceptedResponse>('POST', '/v1/docs/upsert/batch', {
        tenantId: auth.tenantId,
        body,
        headers: idempotencyHeaders(req),
      })
    ).body;
  }

  @Post('index/rebuild')
  @HttpCode(202)
  @Audited('index.rebuild', (req, res: JobAcceptedResponse) => ({
    target: res.job_id,
    details: { namespace: (req.body as RebuildIndexRequest).namespace ?? 'default' },
  }))
  @RequireRole('writer')
  @ApiIdempotent()
  @ApiOperation({ summary: 'Re-chunk and re-embed every document of a namespace with the current configuration (a job)' })
  @ApiJsonBody(RebuildIndexRequestSchema)
  @ApiJsonResponse(202, JobAcceptedResponseSchema, 'accepted')
  @ApiErrors(400, 401, 403, 503)
  async rebuild(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(RebuildIndexRequestSchema, 'rebuild request')) body: RebuildIndexRequest,
    @Req() req: IdempotentRequest,
  ): Promise<JobAcceptedResponse> {
    return (
      await this.upstream.jobOrchestrator.request<JobAcceptedResponse>('POST', '/v1/index/rebuild', {
        tenantId: auth.tenantId,
        body,
        headers: idempotencyHeaders(req),
      })
    ).body;
  }

  @Get('jobs')
  @RequireRole('reader')
  @ApiOperation({ summary: 'List jobs, newest first' })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiJsonResponse(200, ListJobsResponseSchema, 'one page')
  @ApiErrors(400, 401, 403)
  async list(
    @CurrentTenant() auth: TenantPrincipal,
    @Query(new ZodValidationPipe(ListJobsQuerySchema, 'query')) query: ListJobsQuery,
  ): Promise<ListJobsResponse> {
    return (await this.upstream.jobOrchestrator.request<ListJobsResponse>('GET', withQuery('/v1/jobs', query), { tenantId: auth.tenantId }))
      .body;
  }

  @Get('jobs/:jobId')
  @RequireRole('reader')
  @ApiOperation({ summary: 'A job: status, progress, counts, result, error, attempts, timestamps' })
  @ApiJsonResponse(200, JobResponseSchema, 'the job')
  @ApiErrors(400, 401, 403, 404)
  async get(@CurrentTenant() auth: TenantPrincipal, @Param('jobId', jobIdPipe) jobId: string): Promise<JobResponse> {
    return (await this.upstream.jobOrchestrator.request<JobResponse>('GET', `/v1/jobs/${jobId}`, { tenantId: auth.tenantId })).body;
  }

  @Post('jobs/:jobId/cancel')
  @HttpCode(200)
  @Audited('job.cancel', (_req, res: JobResponse) => ({ target: res.job_id, details: { status: res.status } }))
  @RequireRole('writer')
  @ApiIdempotent()
  @ApiOperation({ summary: 'Cancel: a queued job ends at once; a running one stops between documents, keeping what it finished' })
  @ApiJsonResponse(200, JobResponseSchema, 'the job after the request')
  @ApiErrors(400, 401, 403, 404)
  async cancel(@CurrentTenant() auth: TenantPrincipal, @Param('jobId', jobIdPipe) jobId: string): Promise<JobResponse> {
    return (await this.upstream.jobOrchestrator.request<JobResponse>('POST', `/v1/jobs/${jobId}/cancel`, { tenantId: auth.tenantId })).body;
  }

  @Get('jobs/:jobId/events')
  @RequireRole('reader')
  @ApiOperation({
    summary: 'Server-Sent Events of a job: queued, started, progress, retrying, then one terminal event; Last-Event-ID resumes',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  @ApiResponse({
    status: 200,
    description:
      'text/event-stream: `id: <seq>`, `event: <type>`, `data: <job event JSON>`; `: heartbeat` comments; closes after the terminal event',
  })
  @ApiErrors(400, 401, 403, 404)
  @Header('x-content-type-options', 'nosniff')
  async stream(
    @CurrentTenant() auth: TenantPrincipal,
    @Param('jobId', jobIdPipe) jobId: string,
    @Req() req: IdempotentRequest,
    @Res() res: Response,
  ): Promise<void> {
    // Fails with 404 before the stream starts when the job is not this tenant's.
    await this.upstream.jobOrchestrator.request('GET', `/v1/jobs/${jobId}`, { tenantId: auth.tenantId });
    const last = Number.parseInt(req.header('last-event-id') ?? '0', 10);
    await this.events.stream(auth.tenantId, jobId, Number.isFinite(last) && last > 0 ? last : 0, req, res);
  }

  @Get('queue/stats')
  @RequireRoleOrAdmin('reader')
  @ApiOperation({ summary: 'Per queue: waiting, active, delayed, failed, dead-lettered, oldest waiting age (tenant keys: own jobs)' })
  @ApiJsonResponse(200, QueueStatsResponseSchema, 'statistics')
  @ApiErrors(401, 403)
  async stats(@CurrentPrincipal() principal: Principal): Promise<QueueStatsResponse> {
    return (await this.upstream.jobOrchestrator.request<QueueStatsResponse>('GET', '/v1/queue/stats', { tenantId: tenantScope(principal) }))
      .body;
  }

  @Get('dlq')
  @RequireRoleOrAdmin('reader')
  @ApiOperation({ summary: 'Dead-lettered jobs (tenant keys: own; admin token: all tenants)' })
  @ApiJsonResponse(200, ListDeadLettersResponseSchema, 'one page')
  @ApiErrors(400, 401, 403)
  async deadLetters(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListDeadLettersQuerySchema, 'query')) query: ListDeadLettersQuery,
  ): Promise<ListDeadLettersResponse> {
    return (
      await this.upstream.jobOrchestrator.request<ListDeadLettersResponse>('GET', withQuery('/v1/dlq', query), {
        tenantId: tenantScope(principal),
      })
    ).body;
  }

  @Post('dlq/:jobId/replay')
  @HttpCode(202)
  @Audited('dlq.replay', (req, res: JobResponse) => ({
    tenantId: req.principal?.kind === 'tenant' ? req.principal.tenantId : null,
    target: res.job_id,
  }))
  @RequireRoleOrAdmin('writer')
  @ApiIdempotent()
  @ApiOperation({ summary: 'Put a dead-lettered job back on its queue with a fresh set of attempts' })
  @ApiJsonResponse(202, JobResponseSchema, 'queued again')
  @ApiErrors(400, 401, 403, 404)
  async replay(@CurrentPrincipal() principal: Principal, @Param('jobId', jobIdPipe) jobId: string): Promise<JobResponse> {
    return (
      await this.upstream.jobOrchestrator.request<JobResponse>('POST', `/v1/dlq/${jobId}/replay`, { tenantId: tenantScope(principal) })
    ).body;
  }
}
