import 'reflect-metadata';
import { serve } from '@datafactory/service-kit';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { setupOpenApi } from './openapi/openapi.setup';

const VERSION = '0.1.0';

serve({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  module: (config) => GatewayModule.forRoot(config),
  port: (config) => config.GATEWAY_PORT,
  bodyLimitBytes: (config) => config.MAX_BODY_BYTES,
  configure: (app) => setupOpenApi(app, VERSION),
});
