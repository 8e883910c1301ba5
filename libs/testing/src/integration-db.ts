import { TenantId, asTenantId } from '@datafactory/contracts';
import { createDataSource } from '@datafactory/db';
import { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase } from './test-database';

export interface IntegrationDbOptions {
  /** Shown in `pg_stat_activity` as `df-int-<name>`. */
  name: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  /** A database of the spec's own (migrated, dropped on close) instead of the run's shared one. */
  fresh?: boolean;
}

/** What an integration spec works with: a connected data source on a migrated database, and helpers for its rows. */
export interface IntegrationDb {
  ds: DataSource;
  url: string;
  /** Inserts a tenant (the row only: no key, no audit) and returns its id. */
  tenant(name: string): Promise<TenantId>;
  close(): Promise<void>;
}

/**
 * The one way an integration spec gets its database. By default the run's shared database, migrated once by the
 * integration globalSetup (`DATAFACTORY_TEST_DATABASE_URL`); specs keep apart by their own tenants and embedding
 * versions. `fresh` gives a spec a database of its own, for tests that need an empty table or change settings.
 */
export async function openIntegrationDb(options: IntegrationDbOptions): Promise<IntegrationDb> {
  const shared = process.env['DATAFACTORY_TEST_DATABASE_URL'];
  if (!shared) throw new Error('DATAFACTORY_TEST_DATABASE_URL is not set (the integration globalSetup sets it)');
  const url = options.fresh ? await createTestDatabase(`df_${options.name.replace(/\W/g, '_')}`, shared) : shared;
  const ds = createDataSource({
    url,
    poolSize: options.poolSize ?? 4,
    statementTimeoutMs: options.statementTimeoutMs ?? 15_000,
    applicationName: `df-int-${options.name}`,
  });
  await ds.initialize();
  return {
    ds,
    url,
    async tenant(name: string): Promise<TenantId> {
      const rows = (await ds.query(`INSERT INTO tenants (name) VALUES ($1) RETURNING id`, [name])) as Array<{ id: string }>;
      const row = rows[0];
      if (!row) throw new Error('INSERT INTO tenants returned no row');
      return asTenantId(row.id);
    },
    async close(): Promise<void> {
      await ds.destroy();
      if (options.fresh) await dropTestDatabase(url);
    },
  };
}
