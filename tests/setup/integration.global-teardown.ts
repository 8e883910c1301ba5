import { dropTestDatabase } from '../../libs/testing/src/test-database';

export default async function teardown(): Promise<void> {
  const url = process.env['DATAFACTORY_TEST_DATABASE_URL'];
  if (url) await dropTestDatabase(url);
}
