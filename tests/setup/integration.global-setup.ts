import { createTestDatabase } from '../../libs/testing/src/test-database';

/** One migrated database for the integration tests; each test file creates its own tenants. */
export default async function setup(): Promise<void> {
  process.env['DATAFACTORY_TEST_DATABASE_URL'] = await createTestDatabase('df_int');
}
