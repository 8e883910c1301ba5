/**
 * `npm run db:migrate`: creates the database when missing and applies pending TypeORM migrations.
 * The Helm chart runs the same command as a pre-install/pre-upgrade hook.
 */
import 'reflect-metadata';
import { databaseConfig, loadConfig, prepareEnvironment } from '@datafactory/config';
import { createDataSource, ensureDatabase } from '../data-source';

async function main(): Promise<void> {
  prepareEnvironment();
  const config = loadConfig('db:migrate', databaseConfig);
  const created = await ensureDatabase(config.DATABASE_URL);
  if (created) console.log(`[db:migrate] created database ${new URL(config.DATABASE_URL).pathname.slice(1)}`);
  const ds = createDataSource({
    url: config.DATABASE_URL,
    poolSize: 1,
    statementTimeoutMs: 0,
    applicationName: 'datafactory-migrate',
  });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `[db:migrate] applied ${applied.map((m) => m.name).join(', ')}` : '[db:migrate] schema is up to date');
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`[db:migrate] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
