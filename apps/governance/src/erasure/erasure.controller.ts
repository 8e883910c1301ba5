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
  TenantId,
  UuidParamSchema,
} from '@datafactory/contracts';
import { ErasureRepository, ErasureRow } from '@datafactory/erasure';
import { JobService } from '@datafactory/jobs';
import { InternalAuthGuard, Tenant, ZodValidationPipe, currentTraceparent, subjectHash } from '@datafactory/service-kit';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { GOVERNANCE_CONFIG, GovernanceConfig } from '../governance.config';

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
    private readonly jobs: JobService,
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
    // The request, its job and the link between them commit together: no request is left without a job.
    return this.jobs.createWith(tenantId, async (tx, createJob) => {
      const erasure = await this.erasures.create(
        tenantId,
        {
          scope: body.scope,
          namespace,
          docId: body.doc_id ?? null,
          subjectHash: body.subject_id ? subjectHash(this.config.GOVERNANCE_SIGNING_KEY, body.subject_id) : null,
          dryRun: body.dry_run,
          requestedBy: keyId ? `key:${keyId}` : 'admin',
        },
        tx,
      );
      const { job } = await createJob(
        {
          type: 'erasure',
          namespace: namespace ?? DEFAULT_NAMESPACE,
          params: { erasure_id: erasure.id, ...(body.subject_id ? { subject_id: body.subject_id } : {}) },
        },
        traceparent ? { traceparent } : {},
      );
      await this.erasures.attachJob(erasure.id, job.id, tx);
      return { erasure_id: erasure.id, job_id: job.id };
    });
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
