import { CheckResult, HealthResponse } from '@datafactory/contracts';
import { Controller, Get, HttpCode, Inject, Res, SetMetadata } from '@nestjs/common';
import type { Response } from 'express';

/** Marks a route (or controller) as callable without credentials by any authenticating guard. */
export const PUBLIC_ROUTE = 'datafactory:public-route';
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

/** A named dependency check; throws (or rejects) when the dependency is not usable. */
export type HealthCheck = () => Promise<unknown>;
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

const CHECK_TIMEOUT_MS = 2_000;

export async function runChecks(checks: Record<string, HealthCheck>): Promise<HealthResponse> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      const started = performance.now();
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
        ]);
        return [name, { status: 'up', latency_ms: Math.round(performance.now() - started) }];
      } catch (error) {
        return [name, { status: 'down', message: error instanceof Error ? error.message : String(error) }];
      }
    }),
  );
  const down = entries.filter(([, r]) => r.status === 'down').map(([name]) => name);
  const checksByName = Object.fromEntries(entries);
  return down.length === 0 ? { status: 'ok', checks: checksByName } : { status: 'unavailable', message: `down: ${down.join(', ')}`, checks: checksByName };
}

/** `/health/live`: the process answers. `/health/ready`: its dependencies answer too. */
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: Record<string, HealthCheck>) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const report = await runChecks(this.checks);
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
