import {
  AppError,
  DEFAULT_NAMESPACE,
  ErasureAccepted,
  ErasureCertificate,
  ErasureResponse,
  EraseRequest,
  EraseRequestSchema,
  ErrorCode,
  InternalHeader,
  JobPriority,
  QueueName,
  TenantId,
  UuidParamSchema,
} from '@datafactory/contracts';
import { ErasureRepository, ErasureRow, JobsRepository } from '@datafactory/db';
import { InternalAuthGuard, Tenant, ZodValidationPipe, currentTraceparent, subjectHash } from '@datafactory/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { GOVERNANCE_CONFIG, GovernanceConfig } from '../governance.config';

const MAX_ATTEMPTS = 5;

function toResponse(e: ErasureRow): ErasureResponse {
  return {
    erasure_id: e.id,
    job_id: e.jobId,
    scope: e.scope,
    status: e.status,
    dry_run: e.dryRun,
    requested_at: e.requestedAt.toISOString(),
    completed_at: e.completedAt?.toISOString() ?? null,
    certificate: (e.certificate as ErasureCertificate | null) ?? null,
  };
}

/**
 * GDPR erasure requests. The request is recorded (subject ids only as salted hashes) and handed to a durable
 * job, which ingest executes: tombstone, delete everywhere, verify, sign the certificate.
 */
@Controller('v1/governance')
@UseGuards(InternalAuthGuard)
export class ErasureController {
  constructor(
    private readonly erasures: ErasureRepository,
    private readonly jobs: JobsRepository,
    @Inject(GOVERNANCE_CONFIG) private readonly config: GovernanceConfig,
  ) {}

  @Post('erase')
  @HttpCode(202)
  async erase(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(EraseRequestSchema, 'erase request')) body: EraseRequest,
    @Headers(InternalHeader.ApiKeyId) keyId: string | undefined,
  ): Promise<ErasureAccepted> {
    const traceparent = currentTraceparent();
    const namespace = body.scope === 'document' || body.scope === 'namespace' ? (body.namespace ?? DEFAULT_NAMESPACE) : null;
    const erasure = await this.erasures.create(tenantId, {
      scope: body.scope,
      namespace,
      docId: body.doc_id ?? null,
      subjectHash: body.subject_id ? subjectHash(this.config.GOVERNANCE_SIGNING_KEY, body.subject_id) : null,
      dryRun: body.dry_run,
      requestedBy: keyId ? `key:${keyId}` : 'admin',
    });
    const { job } = await this.jobs.create(tenantId, {
      type: 'erasure',
      namespace: namespace ?? DEFAULT_NAMESPACE,
      queue: QueueName.Ingest,
      priority: JobPriority.Interactive,
      maxAttempts: MAX_ATTEMPTS,
      // The raw subject id lives here only until the job has run (the handler removes it).
      params: { erasure_id: erasure.id, ...(body.subject_id ? { subject_id: body.subject_id } : {}) },
      ...(traceparent ? { traceContext: traceparent } : {}),
    });
    await this.erasures.attachJob(erasure.id, job.id);
    return { erasure_id: erasure.id, job_id: job.id };
  }

  @Get('erasures/:erasureId')
  async get(
    @Tenant() tenantId: TenantId,
    @Param('erasureId', new ZodValidationPipe(UuidParamSchema, 'erasure_id')) erasureId: string,
  ): Promise<ErasureResponse> {
    const erasure = await this.erasures.get(tenantId, erasureId);
    if (!erasure) throw new AppError(ErrorCode.ErasureNotFound, `no erasure ${erasureId}`);
    return toResponse(erasure);
  }
}
