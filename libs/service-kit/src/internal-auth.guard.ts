import { AppError, ErrorCode, InternalHeader, TenantId, asTenantId } from '@datafactory/contracts';
import { CanActivate, ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { currentContext } from './request-context';

export const INTERNAL_TOKEN = Symbol('INTERNAL_TOKEN');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Internal services accept calls only from the gateway (or another service) presenting the shared
 * internal token; the tenant they act for comes from the gateway's authenticated header.
 */
@Injectable()
export class InternalAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(INTERNAL_TOKEN) token: string) {
    this.expected = Buffer.from(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const given = Buffer.from(String(req.headers[InternalHeader.Token] ?? ''));
    if (given.length !== this.expected.length || !timingSafeEqual(given, this.expected)) {
      throw new AppError(ErrorCode.InvalidCredentials, 'internal endpoint: missing or wrong internal token');
    }
    const ctx = currentContext();
    const tenant = req.headers[InternalHeader.TenantId];
    if (ctx && typeof tenant === 'string') ctx.tenantId = tenant;
    return true;
  }
}

/** The authenticated tenant of an internal call. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): TenantId => {
  const req = context.switchToHttp().getRequest<Request>();
  const id = String(req.headers[InternalHeader.TenantId] ?? '');
  if (!UUID.test(id)) throw new AppError(ErrorCode.InvalidCredentials, 'internal endpoint: missing tenant');
  return asTenantId(id);
});

/** Tenant of an internal call, or null when the gateway authenticated the admin token (all tenants). */
export const TenantOrAdmin = createParamDecorator((_data: unknown, context: ExecutionContext): TenantId | null => {
  const req = context.switchToHttp().getRequest<Request>();
  if (req.headers[InternalHeader.Scope] === 'admin' && !req.headers[InternalHeader.TenantId]) return null;
  const id = String(req.headers[InternalHeader.TenantId] ?? '');
  if (!UUID.test(id)) throw new AppError(ErrorCode.InvalidCredentials, 'internal endpoint: missing tenant');
  return asTenantId(id);
});
