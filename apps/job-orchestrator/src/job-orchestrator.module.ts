import { DeadLettersRepository, jobServiceProvider, JobsRepository, OutboxRepository } from '@datafactory/jobs';
import { TenantDirectoryRepository } from '@datafactory/job-orchestrator-data';
import { BasicServiceModule, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { DeadLettersController } from './dlq/dead-letters.controller';
import { JobOrchestratorConfig, ORCHESTRATOR_CONFIG } from './job-orchestrator.config';
import { CancelJobUseCase } from './jobs/cancel-job.use-case';
import { CreateJobUseCase } from './jobs/create-job.use-case';
import { JobsController } from './jobs/jobs.controller';
import { QueueCloser, queueProviders } from './jobs/queue.providers';
import { QueueMetrics } from './jobs/queue-metrics';
import { QueueStatsUseCase } from './jobs/queue-stats.use-case';
import { OutboxRelay } from './relay/outbox-relay.service';
import { Reconciler } from './relay/reconciler.service';
import { RetentionScheduler } from './relay/retention-scheduler.service';

/**
 * Owns jobs: accepts them (job + items + outbox in one transaction), relays the outbox to BullMQ,
 * reconciles Postgres with Redis, cancels, replays dead letters and reports queue statistics.
 */
@Module({})
export class JobOrchestratorModule {
  static forRoot(config: JobOrchestratorConfig): DynamicModule {
    return {
      module: JobOrchestratorModule,
      imports: [BasicServiceModule.forRoot('job-orchestrator', config)],
      controllers: [JobsController, DeadLettersController],
      providers: [
        { provide: ORCHESTRATOR_CONFIG, useValue: config },
        ...repositoryProviders([JobsRepository, OutboxRepository, DeadLettersRepository, TenantDirectoryRepository]),
        jobServiceProvider(config),
        ...queueProviders,
        QueueCloser,
        OutboxRelay,
        Reconciler,
        RetentionScheduler,
        CreateJobUseCase,
        CancelJobUseCase,
        QueueStatsUseCase,
        QueueMetrics,
      ],
    };
  }
}
