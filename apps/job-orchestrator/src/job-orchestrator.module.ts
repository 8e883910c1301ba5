import { DynamicModule, Module } from '@nestjs/common';
import { BasicServiceModule } from '@datafactory/service-kit';
import { JobOrchestratorConfig } from './job-orchestrator.config';

/**
 * The job-orchestrator service: so far its process, configuration and health (Postgres, Redis);
 * its features arrive with their issues (see docs/architecture.md).
 */
@Module({})
export class JobOrchestratorModule {
  static forRoot(config: JobOrchestratorConfig): DynamicModule {
    return { module: JobOrchestratorModule, imports: [BasicServiceModule.forRoot('job-orchestrator', config)] };
  }
}
