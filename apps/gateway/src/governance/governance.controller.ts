import {
  NamespaceQuery,
  NamespaceQuerySchema,
  PiiPolicyResponse,
  PiiPolicyResponseSchema,
  SetPiiPolicyRequest,
  SetPiiPolicyRequestSchema,
} from '@datafactory/contracts';
import { ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Get, Put, Query } from '@nestjs/common';
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
  async piiPolicy(@CurrentTenant() auth: TenantPrincipal, @Query(new ZodValidationPipe(NamespaceQuerySchema, 'query')) query: NamespaceQuery): Promise<PiiPolicyResponse> {
    return (await this.upstream.governance.request<PiiPolicyResponse>('GET', withQuery('/v1/governance/pii-policy', query), { tenantId: auth.tenantId })).body;
  }

  @Put('pii-policy')
  @RequireRole('admin')
  @ApiIdempotent()
  @Audited('pii_policy.change', (_req, res: PiiPolicyResponse & { previous: string }) => ({ target: res.namespace, details: { policy: res.policy, previous: res.previous } }))
  @ApiOperation({ summary: "Set a namespace's PII policy (tenant admin key); applies to documents written from now on" })
  @ApiJsonBody(SetPiiPolicyRequestSchema)
  @ApiJsonResponse(200, PiiPolicyResponseSchema, 'the new policy')
  @ApiErrors(400, 401, 403)
  async setPiiPolicy(@CurrentTenant() auth: TenantPrincipal, @Body(new ZodValidationPipe(SetPiiPolicyRequestSchema, 'PII policy')) body: SetPiiPolicyRequest): Promise<PiiPolicyResponse> {
    return (await this.upstream.governance.request<PiiPolicyResponse>('PUT', '/v1/governance/pii-policy', { tenantId: auth.tenantId, body })).body;
  }
}
