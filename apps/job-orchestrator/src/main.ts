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
    // The gateway enforces MAX_BODY_BYTES on what clients send; re-serialised bodies get headroom here.
    bodyLimitBytes: config.MAX_BODY_BYTES * 2,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
});
