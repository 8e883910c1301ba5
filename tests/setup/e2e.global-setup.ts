import { RunningStack, createTestDatabase, startStack } from '../../libs/testing/src';

declare global {
  var __DATAFACTORY_E2E__: { stack: RunningStack; databaseUrl: string } | undefined;
}

/** The five services as real processes against a fresh database; tests reach them through the gateway. */
export default async function setup(): Promise<void> {
  const databaseUrl = await createTestDatabase('df_e2e');
  const stack = await startStack({ databaseUrl });
  globalThis.__DATAFACTORY_E2E__ = { stack, databaseUrl };
  process.env['E2E_GATEWAY_URL'] = stack.gatewayUrl;
  process.env['E2E_ADMIN_TOKEN'] = stack.adminToken;
  process.env['E2E_DATABASE_URL'] = databaseUrl;
  process.env['E2E_PORTS'] = JSON.stringify(stack.ports);
  process.env['E2E_METRICS_PORTS'] = JSON.stringify(stack.metricsPorts);
  process.env['E2E_GOVERNANCE_SIGNING_KEY'] = stack.env['GOVERNANCE_SIGNING_KEY'];
  process.env['E2E_QUEUE_PREFIX'] = stack.env['QUEUE_PREFIX'];
  process.env['E2E_REDIS_URL'] = stack.env['REDIS_URL'];
  process.env['E2E_LOG_DIR'] = stack.logDir;
}
