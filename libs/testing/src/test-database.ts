import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, escapeIdentifier } from 'pg';

const repoRoot = resolve(__dirname, '../../..');

/** The server tests create their databases on; never the `postgres` database itself. */
export function testServerUrl(): string {
  const base = new URL(process.env['TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = '/postgres';
  return base.toString();
}

/**
 * Creates a fresh database and applies the real migrations with the same command operators run
 * (`dist/libs/db/src/cli/migrate.js`, which creates the database too); returns its URL.
 */
export async function createTestDatabase(prefix: string, serverUrl: string = testServerUrl()): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const cli = join(repoRoot, 'dist/libs/db/src/cli/migrate.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
  execFileSync(process.execPath, [cli], {
    env: { PATH: process.env['PATH'] ?? '', ENV_FILE: 'none', DATABASE_URL: url.toString() },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return url.toString();
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name || name === 'postgres') throw new Error(`refusing to drop database "${name}"`);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`));
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
