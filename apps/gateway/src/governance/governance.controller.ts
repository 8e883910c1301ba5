import {
  JobAcceptedResponse,
  JobAcceptedResponseSchema,
  LegalHoldRequest,
  LegalHoldRequestSchema,
  LegalHoldResponse,
  LegalHoldResponseSchema,
  RetentionPreview,
  RetentionPreviewSchema,
  RetentionResponse,
  RetentionResponseSchema,
  SetRetentionRequest,
  SetRetentionRequestSchema,
  ErasureAccepted,
  ErasureAcceptedSchema,
  ErasureResponse,
  ErasureResponseSchema,
  EraseRequest,
  EraseRequestSchema,
  NamespaceQuery,
  UuidParamSchema,
  NamespaceQuerySchema,
  PiiPolicyResponse,
  PiiPolicyResponseSchema,
  SetPiiPolicyRequest,
  SetPiiPolicyRequestSchema,
} from '@datafactory/contracts';
import { ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, RequireRole, TenantPrincipal } from '../auth/auth.context';
import { ApiErrors, ApiIdempotent, ApiJsonBody, ApiJsonResponse } from '../openapi/zod-openapi';
import { UpstreamClients, withQuery } from '../upstream.clients';
import { Audited } from './audit.interceptor';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('v1/governance')
export class GovernanceController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Get('pii-policy')
  @RequireRole('reader')
  @ApiOperation({ summary: "A namespace's PII policy: off (default), redact or reject" })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiJsonResponse(200, PiiPolicyResponseSchema, 'the policy')
  @ApiErrors(400, 401, 403)
  async piiPolicy(
    @CurrentTenant() auth: TenantPrincipal,
    @Query(new ZodValidationPipe(NamespaceQuerySchema, 'query')) query: NamespaceQuery,
  ): Promise<PiiPolicyResponse> {
    return (
      await this.upstream.governance.request<PiiPolicyResponse>('GET', withQuery('/v1/governance/pii-policy', query), {
        tenantId: auth.tenantId,
      })
    ).body;
  }

  @Put('pii-policy')
  @RequireRole('admin')
  @ApiIdempotent()
  @Audited('pii_policy.change', (_req, res: PiiPolicyResponse) => ({
    target: res.namespace,
    details: { policy: res.policy, previous: res.previous },
  }))
  @ApiOperation({ summary: "Set a namespace's PII policy (tenant admin key); applies to documents written from now on" })
  @ApiJsonBody(SetPiiPolicyRequestSchema)
  @ApiJsonResponse(200, PiiPolicyResponseSchema, 'the new policy')
  @ApiErrors(400, 401, 403)
  async setPiiPolicy(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(SetPiiPolicyRequestSchema, 'PII policy')) body: SetPiiPolicyRequest,
  ): Promise<PiiPolicyResponse> {
    return (
      await this.upstream.governance.request<PiiPolicyResponse>('PUT', '/v1/governance/pii-policy', { tenantId: auth.tenantId, body })
    ).body;
  }

  @Post('erase')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiIdempotent()
  @Audited('erasure.request', (_req, res: ErasureAccepted) => ({ target: res.erasure_id, details: { job_id: res.job_id } }))
  @ApiOperation({ summary: 'Erase a document, a data subject, a namespace or the tenant (GDPR Art. 17); dry_run reports without erasing' })
  @ApiJsonBody(EraseRequestSchema)
  @ApiJsonResponse(202, ErasureAcceptedSchema, 'accepted: follow the job, then read the certificate')
  @ApiErrors(400, 401, 403, 503)
  async erase(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(EraseRequestSchema, 'erase request')) body: EraseRequest,
  ): Promise<ErasureAccepted> {
    return (
      await this.upstream.governance.request<ErasureAccepted>('POST', '/v1/governance/erase', {
        tenantId: auth.tenantId,
        apiKeyId: auth.keyId,
        body,
      })
    ).body;
  }

  @Get('erasures/:erasureId')
  @RequireRole('admin')
  @ApiOperation({ summary: 'An erasure: status and its signed certificate (per store: counts before and after, verification queries)' })
  @ApiJsonResponse(200, ErasureResponseSchema, 'the erasure')
  @ApiErrors(400, 401, 403, 404)
  async erasure(
    @CurrentTenant() auth: TenantPrincipal,
    @Param('erasureId', new ZodValidationPipe(UuidParamSchema, 'erasure_id')) erasureId: string,
  ): Promise<ErasureResponse> {
    return (
      await this.upstream.governance.request<ErasureResponse>('GET', `/v1/governance/erasures/${erasureId}`, { tenantId: auth.tenantId })
    ).body;
  }

  @Get('retention')
  @RequireRole('reader')
  @ApiOperation({ summary: 'Retention: the system default, the tenant default ("*") and per-namespace policies' })
  @ApiJsonResponse(200, RetentionResponseSchema, 'policies')
  @ApiErrors(401, 403)
  async retention(@CurrentTenant() auth: TenantPrincipal): Promise<RetentionResponse> {
    return (await this.upstream.governance.request<RetentionResponse>('GET', '/v1/governance/retention', { tenantId: auth.tenantId })).body;
  }

  @Put('retention')
  @RequireRole('admin')
  @ApiIdempotent()
  @Audited('retention.change', (req) => ({
    target: String((req.body as SetRetentionRequest).namespace ?? '*'),
    details: {
      max_age_days: (req.body as SetRetentionRequest).max_age_days,
      deleted_grace_days: (req.body as SetRetentionRequest).deleted_grace_days ?? null,
    },
  }))
  @ApiOperation({ summary: 'Set the tenant default ("*") or a namespace retention policy' })
  @ApiJsonBody(SetRetentionRequestSchema)
  @ApiJsonResponse(200, RetentionResponseSchema, 'policies after the change')
  @ApiErrors(400, 401, 403)
  async setRetention(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(SetRetentionRequestSchema, 'retention policy')) body: SetRetentionRequest,
  ): Promise<RetentionResponse> {
    return (await this.upstream.governance.request<RetentionResponse>('PUT', '/v1/governance/retention', { tenantId: auth.tenantId, body }))
      .body;
  }

  @Get('retention/preview')
  @RequireRole('reader')
  @ApiOperation({ summary: 'What the next retention sweep would remove' })
  @ApiJsonResponse(200, RetentionPreviewSchema, 'preview')
  @ApiErrors(401, 403)
  async retentionPreview(@CurrentTenant() auth: TenantPrincipal): Promise<RetentionPreview> {
    return (
      await this.upstream.governance.request<RetentionPreview>('GET', '/v1/governance/retention/preview', { tenantId: auth.tenantId })
    ).body;
  }

  @Post('retention/sweep')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiIdempotent()
  @ApiOperation({ summary: "Run this tenant's retention sweep now (it also runs on a schedule)" })
  @ApiJsonResponse(202, JobAcceptedResponseSchema, 'the sweep job')
  @ApiErrors(401, 403, 503)
  async sweep(@CurrentTenant() auth: TenantPrincipal): Promise<JobAcceptedResponse> {
    return (
      await this.upstream.governance.request<JobAcceptedResponse>('POST', '/v1/governance/retention/sweep', {
        tenantId: auth.tenantId,
        body: {},
      })
    ).body;
  }

  @Put('legal-hold')
  @RequireRole('admin')
  @ApiIdempotent()
  @Audited('legal_hold.change', (_req, res: LegalHoldResponse) => ({
    target: `${res.namespace}/${res.doc_id}`,
    details: { legal_hold: res.legal_hold },
  }))
  @ApiOperation({ summary: 'Put a document on legal hold (exempt from retention) or release it' })
  @ApiJsonBody(LegalHoldRequestSchema)
  @ApiJsonResponse(200, LegalHoldResponseSchema, 'the hold')
  @ApiErrors(400, 401, 403, 404)
  async legalHold(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(LegalHoldRequestSchema, 'legal hold')) body: LegalHoldRequest,
  ): Promise<LegalHoldResponse> {
    return (
      await this.upstream.governance.request<LegalHoldResponse>('PUT', '/v1/governance/legal-hold', { tenantId: auth.tenantId, body })
    ).body;
  }
}
