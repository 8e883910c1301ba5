interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Rows of an `UPDATE/DELETE ... RETURNING`. TypeORM's `query()` answers those with `[rows, rowCount]`
 * (and every other statement with the rows alone), which silently breaks `rows[0]`.
 */
export async function returningRows<T>(q: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  const result = await q.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
