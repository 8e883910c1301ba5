/** Anything that runs SQL: the data source, an entity manager inside a transaction, a query runner. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}
