import './instrument';
import 'reflect-metadata';
import { serve } from '@datafactory/service-kit';
import { loadJobOrchestratorConfig } from './job-orchestrator.config';
import { JobOrchestratorModule } from './job-orchestrator.module';

serve({
  name: 'job-orchestrator',
  loadConfig: loadJobOrchestratorConfig,
  module: (config) => JobOrchestratorModule.forRoot(config),
  port: (config) => config.JOB_ORCHESTRATOR_PORT,
  // The gateway enforces MAX_BODY_BYTES on what clients send; re-serialised bodies get headroom here.
  bodyLimitBytes: (config) => config.MAX_BODY_BYTES * 2,
});
