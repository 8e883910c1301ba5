import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testServerUrl } from '../../../libs/testing/src/test-database';

export interface ServerInfo {
  postgres: string;
  pgvector: string | null;
}

/** Runs `fn` with a connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server (for the peer, which creates its own table); returns its URL. */
export async function createEmptyDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withClient(testServerUrl(), (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function serverInfo(): Promise<ServerInfo> {
  return withClient(testServerUrl(), async (c) => {
    const version = await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    const vector = await c.query<{ v: string }>(`SELECT default_version AS v FROM pg_available_extensions WHERE name = 'vector'`);
    return { postgres: version.rows[0]?.v ?? '?', pgvector: vector.rows[0]?.v ?? null };
  });
}

/** Bytes of a table with its indexes and TOAST (partitions included) per 100,000 rows. */
export async function bytesPer100kRows(
  client: Client,
  table: string,
): Promise<{ rows: number; bytes: number; bytes_per_100k: number | null }> {
  const size = await client.query<{ bytes: string }>(
    // pg_partition_tree is empty for a table that is not partitioned.
    `SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree($1::regclass)), pg_total_relation_size($1::regclass))::text AS bytes`,
    [table],
  );
  const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  const bytes = Number(size.rows[0]?.bytes ?? 0);
  const rows = Number(count.rows[0]?.n ?? 0);
  return { rows, bytes, bytes_per_100k: rows === 0 ? null : (bytes / rows) * 100_000 };
}
