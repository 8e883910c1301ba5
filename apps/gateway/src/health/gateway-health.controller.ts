import { HealthResponse, HealthResponseSchema } from '@datafactory/contracts';
import { HEALTH_CHECKS, HealthCheck, HealthReporter } from '@datafactory/service-kit';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.context';
import { ApiJsonResponse } from '../openapi/zod-openapi';
import { UpstreamClients } from '../upstream.clients';

/** Whole-system health: the gateway's own dependencies plus every service's readiness. */
@ApiTags('health')
@Controller('v1/health')
export class GatewayHealthController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly ownChecks: Record<string, HealthCheck>,
    private readonly upstream: UpstreamClients,
    private readonly reporter: HealthReporter,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Health of postgres, pgvector, redis and each service; 503 names what is down' })
  @ApiJsonResponse(200, HealthResponseSchema, 'everything is up')
  @ApiJsonResponse(503, HealthResponseSchema, 'something is down (see message)')
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const services = Object.fromEntries(
      this.upstream.all().map((client): [string, HealthCheck] => [client.service, () => client.request('GET', '/health/ready')]),
    );
    const report = await this.reporter.report({ ...this.ownChecks, ...services });
    // Strict: the whole-system view for monitoring answers 503 when anything is down, Redis included.
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
