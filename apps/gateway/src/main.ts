import 'reflect-metadata';
import { prepareEnvironment } from '@datafactory/config';
import { runService, startHttpService } from '@datafactory/service-kit';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { setupOpenApi } from './openapi/openapi.setup';

const VERSION = '0.1.0';

runService('gateway', async () => {
  prepareEnvironment();
  const config = loadGatewayConfig();
  await startHttpService(GatewayModule.forRoot(config), {
    name: 'gateway',
    port: config.GATEWAY_PORT,
    host: config.BIND_HOST,
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.MAX_BODY_BYTES,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    configure: (app) => setupOpenApi(app, VERSION),
  });
});
