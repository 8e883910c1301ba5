import { HealthResponse } from '@datafactory/contracts';
import { toHealthResponse } from './health-response';
import { Controller, Get, HttpCode, Inject, Injectable, Res, ServiceUnavailableException, SetMetadata } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';

/** Marks a route (or controller) as callable without credentials by any authenticating guard. */
export const PUBLIC_ROUTE = 'datafactory:public-route';
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

/** A named dependency check; throws (or rejects) when the dependency is not usable. */
export type HealthCheck = () => Promise<unknown>;
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Runs named dependency checks through @nestjs/terminus (each with a timeout, all at once) and reports them in
 * the API's health shape, naming every dependency that is down with its error.
 */
@Injectable()
export class HealthReporter {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** `degradable`: checks whose failure leaves the report `degraded` (HTTP 200) instead of `unavailable` (503). */
  async report(checks: Record<string, HealthCheck>, degradable: ReadonlySet<string> = new Set()): Promise<HealthResponse> {
    const indicators = Object.entries(checks).map(
      ([name, check]) =>
        () =>
          this.indicators
            .check(name)
            .attempt(async () => void (await check()))
            .withTimeout(CHECK_TIMEOUT_MS),
    );
    try {
      return toHealthResponse(await this.health.check(indicators), degradable);
    } catch (error) {
      // Terminus signals "something is down" by throwing 503 with the full result as its body.
      if (error instanceof ServiceUnavailableException) return toHealthResponse(error.getResponse() as HealthCheckResult, degradable);
      throw error;
    }
  }
}

/**
 * Redis being down does not take a service out of its load balancer: every service still serves what needs only
 * Postgres (documents, search, audit, job status), job submissions answer `503 queue_unavailable`, and the Redis
 * clients reconnect by themselves, so a restart would not help. Readiness reports it as `degraded` (200); the
 * gateway's `/v1/health`, the whole-system view for monitoring, still answers 503.
 */
const DEGRADABLE_FOR_READINESS: ReadonlySet<string> = new Set(['redis']);

/** `/health/live`: the process answers. `/health/ready`: its dependencies answer too (Redis: see above). */
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: Record<string, HealthCheck>,
    private readonly reporter: HealthReporter,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const report = await this.reporter.report(this.checks, DEGRADABLE_FOR_READINESS);
    res.status(report.status === 'unavailable' ? 503 : 200);
    return report;
  }
}
