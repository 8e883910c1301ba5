import { Client } from 'pg';

/** Runs `fn` with a connection to the e2e database (for assertions on what is stored). */
export async function withDb<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env['E2E_DATABASE_URL'] });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return withDb(async (c) => (await c.query(query, params)).rows as T[]);
}
