import 'reflect-metadata';
import { prepareEnvironment } from '@datafactory/config';
import { runService, startHttpService } from '@datafactory/service-kit';
import { loadJobOrchestratorConfig } from './job-orchestrator.config';
import { JobOrchestratorModule } from './job-orchestrator.module';

runService('job-orchestrator', async () => {
  prepareEnvironment();
  const config = loadJobOrchestratorConfig();
  await startHttpService(JobOrchestratorModule.forRoot(config), {
    name: 'job-orchestrator',
    port: config.JOB_ORCHESTRATOR_PORT,
    host: config.BIND_HOST,
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: 1024 * 1024,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
});
