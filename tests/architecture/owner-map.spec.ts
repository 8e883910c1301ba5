import { ownerMap, projectTags, schemaTables, tableWriters, unexpectedWriters, writesIn } from './table-writers';

/**
 * docs/architecture.md's owner map is the one place that says who owns a table. This checks it against the code:
 * every table has one owner library, the owner's scope tag is the one the map names, and nothing else writes the
 * table unless the map names it (with the reason) under "also written by".
 */
describe('who owns which table', () => {
  const map = ownerMap();
  const writers = tableWriters();

  it('lists every table of the schema once', () => {
    const listed = map.map((r) => r.table);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...schemaTables()].sort());
  });

  it('names owners whose tags match the map', () => {
    for (const row of map) {
      expect({ table: row.table, tags: projectTags(row.owner) }).toEqual({
        table: row.table,
        tags: expect.arrayContaining(['type:data-access', row.scope]),
      });
    }
  });

  it('has no writer the map does not name', () => {
    expect(unexpectedWriters(map, writers)).toEqual([]);
  });

  it('names no writer that does not write (the map stays current)', () => {
    const stale: string[] = [];
    for (const row of map) {
      // An owner may write only through migrations (job_status_transitions); every other writer named must write.
      for (const project of row.alsoWrittenBy)
        if (!writers.get(project)?.has(row.table)) stale.push(`${project} does not write ${row.table}`);
    }
    expect(stale).toEqual([]);
  });

  it('keeps SQL writes out of the apps: they go through a data-access library', () => {
    expect([...writers.keys()].filter((p) => p.startsWith('apps/'))).toEqual([]);
  });

  it('finds writes in SQL and through TypeORM repositories, and reports one the map does not allow', () => {
    expect([...writesIn('await q.query(`UPDATE tenants t SET name = $2 WHERE t.id = $1`)')]).toEqual(['tenants']);
    expect([...writesIn('DELETE FROM chunks WHERE id = $1; INSERT INTO audit_events (x) VALUES ($1)')].sort()).toEqual([
      'audit_events',
      'chunks',
    ]);
    expect([...writesIn('this.repo = ds.getRepository(ApiKeyEntity);')]).toEqual(['api_keys']);
    expect([...writesIn('SELECT * FROM tenants; // update the tenants later')]).toEqual([]);
    expect(unexpectedWriters(map, new Map([['libs/search-data', new Set(['tenants'])]]))).toEqual(['libs/search-data writes tenants']);
  });
});
