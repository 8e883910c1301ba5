import 'reflect-metadata';
import { prepareEnvironment } from '@datafactory/config';
import { runService, startHttpService } from '@datafactory/service-kit';
import { loadGovernanceConfig } from './governance.config';
import { GovernanceModule } from './governance.module';

runService('governance', async () => {
  prepareEnvironment();
  const config = loadGovernanceConfig();
  await startHttpService(GovernanceModule.forRoot(config), {
    name: 'governance',
    port: config.GOVERNANCE_PORT,
    host: config.BIND_HOST,
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: 1024 * 1024,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
});
