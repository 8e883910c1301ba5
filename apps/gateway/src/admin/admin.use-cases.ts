import {
  AppError,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  CreateTenantRequest,
  ErrorCode,
  RevokeApiKeyResponse,
  TenantResponse,
  asTenantId,
} from '@datafactory/contracts';
import { ApiKeysRepository, TenantsRepository } from '@datafactory/gateway-data';
import { Injectable } from '@nestjs/common';
import { ApiKeyCodec } from '../auth/api-key.codec';

@Injectable()
export class CreateTenantUseCase {
  constructor(private readonly tenants: TenantsRepository) {}

  async execute(req: CreateTenantRequest): Promise<TenantResponse> {
    const tenant = await this.tenants.create(req.name);
    return { tenant_id: tenant.id, name: tenant.name, created_at: tenant.createdAt.toISOString() };
  }
}

@Injectable()
export class IssueApiKeyUseCase {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly codec: ApiKeyCodec,
  ) {}

  async execute(tenantId: string, req: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    if (!(await this.tenants.findById(tenantId))) throw new AppError(ErrorCode.TenantNotFound, `no tenant ${tenantId}`);
    const issued = this.codec.issue();
    const key = await this.keys.create(asTenantId(tenantId), {
      role: req.role,
      name: req.name ?? null,
      keyPrefix: issued.prefix,
      keyHash: issued.hash,
    });
    return {
      key_id: key.id,
      api_key: issued.apiKey,
      role: key.role,
      name: key.name,
      prefix: key.keyPrefix,
      created_at: key.createdAt.toISOString(),
    };
  }
}

@Injectable()
export class RevokeApiKeyUseCase {
  constructor(private readonly keys: ApiKeysRepository) {}

  async execute(tenantId: string, keyId: string): Promise<RevokeApiKeyResponse> {
    const revokedAt = await this.keys.revoke(asTenantId(tenantId), keyId);
    if (!revokedAt) throw new AppError(ErrorCode.ApiKeyNotFound, `tenant ${tenantId} has no API key ${keyId}`);
    return { key_id: keyId, revoked: true, revoked_at: revokedAt.toISOString() };
  }
}
