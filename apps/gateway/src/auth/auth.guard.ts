import { ApiKeyRole, AppError, ErrorCode } from '@datafactory/contracts';
import { ApiKeysRepository } from '@datafactory/gateway-data';
import { PUBLIC_ROUTE, currentContext } from '@datafactory/service-kit';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { ACCESS, Access, AuthenticatedRequest, Principal } from './auth.context';
import { ApiKeyCodec } from './api-key.codec';

const ROLE_RANK: Record<ApiKeyRole, number> = { reader: 1, writer: 2, admin: 3 };
/** `last_used_at` has minute resolution (ApiKeysRepository.touch): a key is touched at most this often per process. */
const TOUCH_EVERY_MS = 60_000;
const MAX_TOUCHED = 10_000;

/**
 * Authenticates every route (deny by default: a route without an access rule is admin-only) and
 * enforces its rule. Keys are looked up on every request, so a revoked key fails at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly adminDigest: Buffer;
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysRepository,
    private readonly codec: ApiKeyCodec,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.adminDigest = digest(config.ADMIN_TOKEN);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets)) return true;
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, targets) ?? { kind: 'admin' };

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(req.header('authorization'));
    req.principal = principal;
    const ctx = currentContext();
    if (ctx && principal.kind === 'tenant') ctx.tenantId = principal.tenantId;

    if (access.kind === 'admin') {
      if (principal.kind !== 'admin')
        throw new AppError(ErrorCode.AdminTokenRequired, 'this endpoint needs the admin token (ADMIN_TOKEN), not a tenant API key');
      return true;
    }
    if (principal.kind === 'admin' && access.kind === 'tenant-or-admin') return true;
    if (principal.kind !== 'tenant') {
      throw new AppError(
        ErrorCode.TenantKeyRequired,
        "this endpoint acts on a tenant's data: use one of the tenant's API keys, not the admin token",
      );
    }
    if (ROLE_RANK[principal.role] < ROLE_RANK[access.role]) {
      throw new AppError(
        ErrorCode.InsufficientRole,
        `this endpoint needs a key with role "${access.role}" or higher; this key is a "${principal.role}" key`,
      );
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    if (!header) throw new AppError(ErrorCode.MissingCredentials, 'missing credentials: send "Authorization: Bearer <api key>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError(ErrorCode.MissingCredentials, 'malformed Authorization header: expected "Bearer <api key>"');
    const token = match[1] as string;
    if (timingSafeEqual(digest(token), this.adminDigest)) return { kind: 'admin' };
    if (this.codec.looksLikeKey(token)) {
      const key = await this.keys.findActiveByHash(this.codec.hash(token));
      if (key) {
        this.touch(key.id);
        return { kind: 'tenant', tenantId: key.tenantId, keyId: key.id, role: key.role };
      }
    }
    throw new AppError(ErrorCode.InvalidCredentials, 'invalid credentials: the API key is unknown or has been revoked');
  }

  /** Records the key's use without a statement per request: at most once a minute per key and process. */
  private touch(keyId: string): void {
    const now = Date.now();
    if (now - (this.touchedAt.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
    if (this.touchedAt.size >= MAX_TOUCHED) this.touchedAt.clear();
    this.touchedAt.set(keyId, now);
    void this.keys.touch(keyId).catch(() => undefined);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
