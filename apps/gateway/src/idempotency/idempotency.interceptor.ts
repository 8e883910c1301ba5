import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { AppError, ErrorCode, InternalHeader } from '@datafactory/contracts';
import { IdempotencyRepository } from '@datafactory/gateway-data';
import { canonicalJson, toErrorResponse } from '@datafactory/service-kit';
import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { createHmac } from 'node:crypto';
import { Observable, catchError, from, mergeMap, of } from 'rxjs';
import { AuthenticatedRequest } from '../auth/auth.context';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EXEMPT = 'datafactory:idempotency-exempt';

/**
 * Routes that ignore Idempotency-Key: reads sent as POST (search), and responses that must never be stored
 * (a new API key is shown once and kept only as a hash).
 */
export const IdempotencyExempt = () => SetMetadata(EXEMPT, true);
const KEY = /^[\x21-\x7e]{1,255}$/;
const PURGE_EVERY_MS = 10 * 60_000;
const WAIT_FOR_FIRST_MS = 30_000;
const POLL_MS = 50;

export interface IdempotentRequest extends AuthenticatedRequest {
  idempotency?: { key: string; requestHash: string };
}

/** Headers that carry a request's idempotency to an internal service (which may enforce it again). */
export function idempotencyHeaders(req: IdempotentRequest): Record<string, string> {
  return req.idempotency
    ? { [InternalHeader.IdempotencyKey]: req.idempotency.key, [InternalHeader.RequestHash]: req.idempotency.requestHash }
    : {};
}

/**
 * `Idempotency-Key` on every mutating endpoint: the first request with a key runs; the same key with the
 * same request (method, path, body) gets the first response back — also while the first is still running,
 * by waiting for it; the same key with a different request is refused with 422. Keys are per tenant (or
 * admin) and expire after IDEMPOTENCY_TTL_SECONDS. Server errors release the key so a retry can run.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<IdempotentRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (!MUTATING.has(req.method) || key === undefined || !req.principal) return next.handle();
    if (this.reflector.getAllAndOverride<boolean | undefined>(EXEMPT, [context.getHandler(), context.getClass()])) return next.handle();
    if (!KEY.test(key)) throw new AppError(ErrorCode.InvalidRequest, 'Idempotency-Key must be 1-255 visible ASCII characters (no spaces)');

    const scope = req.principal.kind === 'admin' ? 'admin' : `tenant:${req.principal.tenantId}`;
    // Keyed: a stored request hash must not let anyone confirm a guessed body (an erase request names a person).
    const requestHash = createHmac('sha256', this.config.API_KEY_PEPPER)
      .update(`${req.method} ${req.originalUrl}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');
    req.idempotency = { key, requestHash };
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);

    return from(this.begin(scope, key, requestHash)).pipe(
      mergeMap((state) => {
        if (state.kind === 'replay') {
          res.status(state.status);
          res.setHeader('idempotent-replayed', 'true');
          return of(state.body);
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.records.complete(scope, key, successStatus, body);
            return body;
          }),
          catchError(async (error: unknown) => {
            const { status, body } = toErrorResponse(error);
            if (status < 500) await this.records.complete(scope, key, status, body);
            else await this.records.abandon(scope, key);
            throw error;
          }),
        );
      }),
    );
  }

  private async begin(
    scope: string,
    key: string,
    requestHash: string,
  ): Promise<{ kind: 'new' } | { kind: 'replay'; status: number; body: unknown }> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const state = await this.records.begin(scope, key, requestHash, this.config.IDEMPOTENCY_TTL_SECONDS);
      if (state.kind === 'new' || state.kind === 'replay') return state;
      if (state.kind === 'mismatch') {
        throw new AppError(
          ErrorCode.IdempotencyKeyReused,
          'this Idempotency-Key was already used with a different request; use a new key for a new request',
        );
      }
      if (Date.now() > deadline) {
        throw new AppError(ErrorCode.IdempotencyInProgress, 'a request with this Idempotency-Key is still being processed; retry shortly');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}

/** Deletes expired idempotency records now and then, so the table does not grow without bound. */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly records: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.records.purgeExpired().catch(() => undefined), PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
