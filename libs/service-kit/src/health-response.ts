import { CheckResult, HealthResponse } from '@datafactory/contracts';
import type { HealthCheckResult } from '@nestjs/terminus';

/**
 * Terminus' result (`details` per indicator) in the documented `HealthResponse` shape. A check named in
 * `degradable` being down makes the report `degraded` (still served) rather than `unavailable`.
 */
export function toHealthResponse(result: Pick<HealthCheckResult, 'details'>, degradable: ReadonlySet<string> = new Set()): HealthResponse {
  const checks: Record<string, CheckResult> = {};
  for (const [name, detail] of Object.entries(result.details)) {
    const latency = typeof detail['responseTime'] === 'number' ? detail['responseTime'] : 0;
    checks[name] =
      detail.status === 'up'
        ? { status: 'up', latency_ms: latency }
        : { status: 'down', message: typeof detail['message'] === 'string' ? detail['message'] : 'check failed' };
  }
  const down = Object.keys(checks).filter((name) => checks[name]?.status === 'down');
  if (down.length === 0) return { status: 'ok', checks };
  return { status: down.every((name) => degradable.has(name)) ? 'degraded' : 'unavailable', message: `down: ${down.join(', ')}`, checks };
}
