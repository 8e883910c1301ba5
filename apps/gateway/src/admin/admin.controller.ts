import {
  CreateApiKeyRequest,
  CreateApiKeyRequestSchema,
  CreateApiKeyResponse,
  CreateApiKeyResponseSchema,
  CreateTenantRequest,
  CreateTenantRequestSchema,
  RevokeApiKeyResponse,
  RevokeApiKeyResponseSchema,
  TenantResponse,
  TenantResponseSchema,
  UuidParamSchema,
} from '@datafactory/contracts';
import { ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.context';
import { IdempotencyExempt } from '../idempotency/idempotency.interceptor';
import { Audited } from '../governance/audit.interceptor';
import { ApiErrors, ApiIdempotent, ApiJsonBody, ApiJsonResponse } from '../openapi/zod-openapi';
import { CreateTenantUseCase, IssueApiKeyUseCase, RevokeApiKeyUseCase } from './admin.use-cases';

const uuid = (what: string) => new ZodValidationPipe(UuidParamSchema, what);

@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('v1/admin/tenants')
export class AdminController {
  constructor(
    private readonly createTenant: CreateTenantUseCase,
    private readonly issueKey: IssueApiKeyUseCase,
    private readonly revokeKey: RevokeApiKeyUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @Audited('tenant.create', (_req, res: { tenant_id: string }) => ({ tenantId: res.tenant_id, target: res.tenant_id }))
  @ApiIdempotent()
  @ApiOperation({ summary: 'Create a tenant (admin token)' })
  @ApiJsonBody(CreateTenantRequestSchema)
  @ApiJsonResponse(201, TenantResponseSchema, 'the new tenant')
  @ApiErrors(400, 401, 403)
  create(@Body(new ZodValidationPipe(CreateTenantRequestSchema, 'tenant')) body: CreateTenantRequest): Promise<TenantResponse> {
    return this.createTenant.execute(body);
  }

  @Post(':tenantId/keys')
  @HttpCode(201)
  @Audited('key.issue', (req, res: { key_id: string; role: string }) => ({
    tenantId: String(req.params['tenantId']),
    target: res.key_id,
    details: { role: res.role },
  }))
  @IdempotencyExempt()
  @ApiOperation({ summary: 'Issue an API key for a tenant; the key is returned once and stored only as a keyed hash' })
  @ApiJsonBody(CreateApiKeyRequestSchema)
  @ApiJsonResponse(201, CreateApiKeyResponseSchema, 'the new key (shown once)')
  @ApiErrors(400, 401, 403, 404)
  issue(
    @Param('tenantId', uuid('tenant_id')) tenantId: string,
    @Body(new ZodValidationPipe(CreateApiKeyRequestSchema, 'API key request')) body: CreateApiKeyRequest,
  ): Promise<CreateApiKeyResponse> {
    return this.issueKey.execute(tenantId, body);
  }

  @Delete(':tenantId/keys/:keyId')
  @Audited('key.revoke', (req) => ({ tenantId: String(req.params['tenantId']), target: String(req.params['keyId']) }))
  @ApiIdempotent()
  @ApiOperation({ summary: 'Revoke an API key; it is rejected from the next request on' })
  @ApiJsonResponse(200, RevokeApiKeyResponseSchema, 'revoked')
  @ApiErrors(400, 401, 403, 404)
  revoke(
    @Param('tenantId', uuid('tenant_id')) tenantId: string,
    @Param('keyId', uuid('key_id')) keyId: string,
  ): Promise<RevokeApiKeyResponse> {
    return this.revokeKey.execute(tenantId, keyId);
  }
}
