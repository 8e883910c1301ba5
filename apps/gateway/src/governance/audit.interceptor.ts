import { AppError, AuditAction, ErrorCode } from '@datafactory/contracts';
import { AuditRepository } from '@datafactory/audit';
import { currentContext } from '@datafactory/service-kit';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable, mergeMap } from 'rxjs';
import { AuthenticatedRequest } from '../auth/auth.context';

export interface AuditSubject {
  /** Tenant the event belongs to; defaults to the authenticated tenant. */
  tenantId?: string | null;
  target: string | null;
  /** Ids, counts, hashes and statuses only — never document content. */
  details?: Record<string, unknown>;
}

type Describe = (req: AuthenticatedRequest, response: never) => AuditSubject;
const AUDIT = 'datafactory:audit';

/** Records the route's successful mutations in the audit log as `action`. */
export const Audited = (action: AuditAction, describe: Describe) => SetMetadata(AUDIT, { action, describe });

/**
 * Appends one audit event per successful mutation (after the upstream service applied it; replayed
 * idempotent responses are not mutations and are not recorded again).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<{ action: AuditAction; describe: Describe } | undefined>(AUDIT, context.getHandler());
    if (!spec) return next.handle();
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return next.handle().pipe(
      mergeMap(async (response: unknown) => {
        const subject = spec.describe(req, response as never);
        const principal = req.principal;
        const ctx = currentContext();
        try {
          await this.audit.append({
            tenantId: subject.tenantId !== undefined ? subject.tenantId : principal?.kind === 'tenant' ? principal.tenantId : null,
            actor: principal?.kind === 'tenant' ? `key:${principal.keyId}` : 'admin',
            action: spec.action,
            target: subject.target,
            requestId: ctx?.requestId ?? null,
            traceId: ctx?.traceId ?? null,
            details: subject.details ?? {},
          });
        } catch (error) {
          this.logger.error(`audit append failed for ${spec.action}: ${(error as Error).message}`);
          throw new AppError(
            ErrorCode.DependencyUnavailable,
            'the change was applied but could not be recorded in the audit log; retry with the same Idempotency-Key',
            {
              cause: error,
            },
          );
        }
        return response;
      }),
    );
  }
}
