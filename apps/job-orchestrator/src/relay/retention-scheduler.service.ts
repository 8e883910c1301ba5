import { asTenantId } from '@datafactory/contracts';
import { TenantDirectoryRepository } from '@datafactory/job-orchestrator-data';
import { JobService } from '@datafactory/jobs';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from '../job-orchestrator.config';

/**
 * Schedules a retention sweep per tenant every RETENTION_SWEEP_INTERVAL_MS. Each sweep is a durable job whose
 * idempotency key names its time window, so several orchestrator replicas schedule it once.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('retention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly jobs: JobService,
    private readonly tenants: TenantDirectoryRepository,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: JobOrchestratorConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.OUTBOX_RELAY_ENABLED) return;
    this.timer = setInterval(
      () => void this.schedule().catch((e: Error) => this.logger.warn(`scheduling sweeps failed: ${e.message}`)),
      this.config.RETENTION_SWEEP_INTERVAL_MS,
    );
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One job per tenant for the current window; returns how many were newly created. */
  async schedule(now = Date.now()): Promise<number> {
    const window = Math.floor(now / this.config.RETENTION_SWEEP_INTERVAL_MS);
    let created = 0;
    for (const tenantId of await this.tenants.tenantIds()) {
      // Stored even while Redis is down (the outbox delivers it later); one tenant's failure does not stop the round.
      try {
        const res = await this.jobs.create(
          asTenantId(tenantId),
          { type: 'retention_sweep' },
          { idempotencyKey: `retention-sweep:${window}`, requestHash: 'scheduler' },
          { checkQueue: false },
        );
        if (res.created) created++;
      } catch (error) {
        this.logger.warn(`retention sweep of tenant ${tenantId} not scheduled: ${(error as Error).message}`);
      }
    }
    return created;
  }
}
