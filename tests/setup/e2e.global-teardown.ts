import { cleanRedis, stopStack } from '../../libs/testing/src/stack';
import { dropTestDatabase } from '../../libs/testing/src/test-database';

export default async function teardown(): Promise<void> {
  const e2e = globalThis.__DATAFACTORY_E2E__;
  if (!e2e) return;
  await stopStack(e2e.stack);
  await e2e.receiver.close();
  await cleanRedis(e2e.stack);
  await dropTestDatabase(e2e.databaseUrl);
}
