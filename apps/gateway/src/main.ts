import './instrument';
import 'reflect-metadata';
import { serve } from '@datafactory/service-kit';
import { SERVICE_VERSION } from '@datafactory/telemetry';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { setupOpenApi } from './openapi/openapi.setup';

serve({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  module: (config) => GatewayModule.forRoot(config),
  port: (config) => config.GATEWAY_PORT,
  bodyLimitBytes: (config) => config.MAX_BODY_BYTES,
  configure: (app) => setupOpenApi(app, SERVICE_VERSION),
});
