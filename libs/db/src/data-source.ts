import { escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** 0 = no limit (migrations). */
  idleInTransactionTimeoutMs?: number;
  applicationName: string;
  /** Settings every connection of the pool starts with (sent as startup `options`, no round trip). */
  sessionSettings?: Record<string, string>;
}

/** The one way the services talk to Postgres. Schema changes go through migrations only. */
export function createDataSource(settings: DatabaseSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // TypeORM's own error log prints query parameters, i.e. document text: errors are reported by the services.
    logging: false,
    applicationName: settings.applicationName,
    extra: {
      max: settings.poolSize,
      statement_timeout: settings.statementTimeoutMs,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs ?? 0,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      ...(settings.sessionSettings ? { options: startupOptions(settings.sessionSettings) } : {}),
    },
  });
}

/** `-c name=value …` for the startup packet; names and values are configuration, never user input. */
export function startupOptions(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([name, value]) => {
      if (!/^[a-z_][a-z0-9_.]*$/i.test(name) || !/^[\w.-]+$/.test(value)) throw new RangeError(`invalid session setting ${name}=${value}`);
      return `-c ${name}=${value}`;
    })
    .join(' ');
}

/** Creates the database named in `url` when it does not exist (needs CREATEDB on the server). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const ds = new DataSource({ type: 'postgres', url: admin.toString(), extra: { max: 1 } });
  await ds.initialize();
  try {
    const rows: unknown[] = await ds.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (rows.length > 0) return false;
    await ds.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
    return true;
  } finally {
    await ds.destroy();
  }
}

/** Names of migrations not yet applied; services refuse to start while this is not empty. */
export async function pendingMigrations(ds: DataSource): Promise<string[]> {
  const applied = new Set<string>();
  const exists: Array<{ t: string | null }> = await ds.query(`SELECT to_regclass('typeorm_migrations')::text AS t`);
  if (exists[0]?.t) {
    const rows: Array<{ name: string }> = await ds.query(`SELECT name FROM typeorm_migrations`);
    rows.forEach((r) => applied.add(r.name));
  }
  return MIGRATIONS.map((m) => m.name).filter((name) => !applied.has(name));
}
