import {
  AuditVerification,
  AuditVerificationSchema,
  ListAuditQuery,
  ListAuditQuerySchema,
  ListAuditResponse,
  ListAuditResponseSchema,
} from '@datafactory/contracts';
import { ZodValidationPipe } from '@datafactory/service-kit';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, RequireRoleOrAdmin, tenantScope } from '../auth/auth.context';
import { ApiErrors, ApiJsonResponse } from '../openapi/zod-openapi';
import { UpstreamClients, withQuery } from '../upstream.clients';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Get()
  @RequireRoleOrAdmin('admin')
  @ApiOperation({ summary: 'The audit log, oldest first (tenant admin keys: own tenant; admin token: everything)' })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'since', required: false, description: 'RFC 3339 timestamp' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiJsonResponse(200, ListAuditResponseSchema, 'one page')
  @ApiErrors(400, 401, 403)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodValidationPipe(ListAuditQuerySchema, 'query')) query: ListAuditQuery,
  ): Promise<ListAuditResponse> {
    return (
      await this.upstream.governance.request<ListAuditResponse>('GET', withQuery('/v1/audit', query), { tenantId: tenantScope(principal) })
    ).body;
  }

  @Get('verify')
  @RequireRoleOrAdmin('admin')
  @ApiOperation({ summary: 'Recompute the hash chain: {valid, checked, first_bad_id?}' })
  @ApiJsonResponse(200, AuditVerificationSchema, 'verification result')
  @ApiErrors(401, 403)
  async verify(@CurrentPrincipal() principal: Principal): Promise<AuditVerification> {
    return (await this.upstream.governance.request<AuditVerification>('GET', '/v1/audit/verify', { tenantId: tenantScope(principal) }))
      .body;
  }
}
