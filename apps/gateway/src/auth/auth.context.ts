import { ApiKeyRole, TenantId } from '@datafactory/contracts';
import { PublicRoute } from '@datafactory/service-kit';
import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: TenantId; keyId: string; role: ApiKeyRole };
export type TenantPrincipal = Extract<Principal, { kind: 'tenant' }>;

export type Access = { kind: 'admin' } | { kind: 'tenant'; role: ApiKeyRole } | { kind: 'tenant-or-admin'; role: ApiKeyRole };
export const ACCESS = 'datafactory:access';

/** No credentials needed (health, OpenAPI). */
export const Public = PublicRoute;
/** Only the operator's ADMIN_TOKEN. */
export const AdminOnly = () => SetMetadata(ACCESS, { kind: 'admin' } satisfies Access);
/** A tenant API key with at least this role (reader < writer < admin). */
export const RequireRole = (role: ApiKeyRole) => SetMetadata(ACCESS, { kind: 'tenant', role } satisfies Access);

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** A tenant API key with at least this role, or the admin token (which then sees every tenant). */
export const RequireRoleOrAdmin = (role: ApiKeyRole) => SetMetadata(ACCESS, { kind: 'tenant-or-admin', role } satisfies Access);

/** The authenticated principal (admin or tenant key) of the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** Tenant id for a tenant key, null for the admin token (all tenants). */
export function tenantScope(principal: Principal): TenantId | null {
  return principal.kind === 'tenant' ? principal.tenantId : null;
}

/** The authenticated tenant key of the request (set by the auth guard). */
export const CurrentTenant = createParamDecorator((_data: unknown, context: ExecutionContext): TenantPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal?.kind !== 'tenant') throw new Error('CurrentTenant used on a route without RequireRole');
  return principal;
});
