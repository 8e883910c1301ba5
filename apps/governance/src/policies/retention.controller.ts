import {
  AppError,
  DEFAULT_NAMESPACE,
  ErrorCode,
  JobAcceptedResponse,
  LegalHoldRequest,
  LegalHoldRequestSchema,
  LegalHoldResponse,
  RetentionPreview,
  RetentionResponse,
  SetRetentionRequest,
  SetRetentionRequestSchema,
  TenantId,
} from '@datafactory/contracts';
import { RetentionRepository } from '@datafactory/governance-data';
import { JobService } from '@datafactory/jobs';
import { InternalAuthGuard, Tenant, ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Get, HttpCode, Inject, Post, Put, UseGuards } from '@nestjs/common';
import { GOVERNANCE_CONFIG, GovernanceConfig } from '../governance.config';

/** Retention policies (tenant default '*' and per namespace), legal holds, the sweep preview and an on-demand sweep. */
@Controller('v1/governance')
@UseGuards(InternalAuthGuard)
export class RetentionController {
  constructor(
    private readonly retention: RetentionRepository,
    private readonly jobs: JobService,
    @Inject(GOVERNANCE_CONFIG) private readonly config: GovernanceConfig,
  ) {}

  private get defaults() {
    return { maxAgeDays: this.config.RETENTION_DEFAULT_DAYS, deletedGraceDays: this.config.RETENTION_DELETED_GRACE_DAYS };
  }

  @Get('retention')
  async get(@Tenant() tenantId: TenantId): Promise<RetentionResponse> {
    const policies = await this.retention.policies(tenantId);
    return {
      system_default: { max_age_days: this.defaults.maxAgeDays, deleted_grace_days: this.defaults.deletedGraceDays },
      policies: policies.map((p) => ({
        namespace: p.namespace,
        max_age_days: p.maxAgeDays,
        deleted_grace_days: p.deletedGraceDays,
        updated_at: p.updatedAt.toISOString(),
      })),
    };
  }

  @Put('retention')
  async set(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(SetRetentionRequestSchema, 'retention policy')) body: SetRetentionRequest,
  ): Promise<RetentionResponse> {
    await this.retention.setPolicy(tenantId, body.namespace, body.max_age_days, body.deleted_grace_days ?? this.defaults.deletedGraceDays);
    return this.get(tenantId);
  }

  @Get('retention/preview')
  async preview(@Tenant() tenantId: TenantId): Promise<RetentionPreview> {
    const p = await this.retention.preview(tenantId, this.defaults);
    return {
      expired_documents: p.expired,
      soft_deleted_to_purge: p.softDeleted,
      on_legal_hold: p.onLegalHold,
      sample: p.sample.map((s) => ({ namespace: s.namespace, doc_id: s.docId, reason: s.reason })),
    };
  }

  /** Runs this tenant's sweep now (the scheduler runs it every RETENTION_SWEEP_INTERVAL_MS anyway). */
  @Post('retention/sweep')
  @HttpCode(202)
  async sweep(@Tenant() tenantId: TenantId): Promise<JobAcceptedResponse> {
    const { job } = await this.jobs.create(tenantId, { type: 'retention_sweep' });
    return { job_id: job.id, status: job.status };
  }

  @Put('legal-hold')
  async legalHold(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(LegalHoldRequestSchema, 'legal hold')) body: LegalHoldRequest,
  ): Promise<LegalHoldResponse> {
    const namespace = body.namespace ?? DEFAULT_NAMESPACE;
    if (!(await this.retention.setLegalHold(tenantId, namespace, body.doc_id, body.hold))) {
      throw new AppError(ErrorCode.DocumentNotFound, `no document "${body.doc_id}" in namespace "${namespace}"`);
    }
    return { namespace, doc_id: body.doc_id, legal_hold: body.hold };
  }
}
