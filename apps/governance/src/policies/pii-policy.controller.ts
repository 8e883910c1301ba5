import {
  DEFAULT_NAMESPACE,
  NamespaceQuery,
  NamespaceQuerySchema,
  PiiPolicyResponse,
  SetPiiPolicyRequest,
  SetPiiPolicyRequestSchema,
  TenantId,
} from '@datafactory/contracts';
import { NamespaceSettingsRepository } from '@datafactory/governance-data';
import { InternalAuthGuard, Tenant, ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Get, Put, Query, UseGuards } from '@nestjs/common';

/** Per-namespace PII policy: `off`, `redact` or `reject`, applied by ingest before anything is stored or embedded. */
@Controller('v1/governance/pii-policy')
@UseGuards(InternalAuthGuard)
export class PiiPolicyController {
  constructor(private readonly settings: NamespaceSettingsRepository) {}

  @Get()
  async get(
    @Tenant() tenantId: TenantId,
    @Query(new ZodValidationPipe(NamespaceQuerySchema, 'query')) query: NamespaceQuery,
  ): Promise<PiiPolicyResponse> {
    const namespace = query.namespace ?? DEFAULT_NAMESPACE;
    return { namespace, policy: await this.settings.piiPolicy(tenantId, namespace), updated_at: null };
  }

  @Put()
  async set(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(SetPiiPolicyRequestSchema, 'PII policy')) body: SetPiiPolicyRequest,
  ): Promise<PiiPolicyResponse> {
    const namespace = body.namespace ?? DEFAULT_NAMESPACE;
    const { previous, updatedAt } = await this.settings.setPiiPolicy(tenantId, namespace, body.policy);
    return { namespace, policy: body.policy, updated_at: updatedAt.toISOString(), previous };
  }
}
