import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = join(__dirname, '../..');

/** A write statement in production code: `INSERT INTO t`, `UPDATE t … SET`, `DELETE FROM t`, `TRUNCATE t`. */
const WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+([a-z_][a-z0-9_]*)\b(?:\s+[a-z]{1,3}\b)?(?=[\s(,]|$)/g;
/** TypeORM repositories write the entity's table. */
const ENTITY_REPOSITORY = /getRepository\((\w+Entity)\)/g;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'migrations' && name !== 'node_modules' && name !== 'testing') walk(path, out);
    } else if (name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name)) {
      out.push(path);
    }
  }
  return out;
}

/** Table names declared by `@Entity({ name })` in libs/db. */
function entityTables(): Map<string, string> {
  const out = new Map<string, string>();
  const dir = join(repoRoot, 'libs/db/src/entities');
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    const m = /@Entity\(\{\s*name:\s*'([a-z_]+)'\s*\}\)\s*export class (\w+)/.exec(text);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** Every table created by the migrations. */
export function schemaTables(): Set<string> {
  const dir = join(repoRoot, 'libs/db/src/migrations');
  const out = new Set<string>();
  for (const file of readdirSync(dir)) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)) out.add(m[1]!);
  }
  return out;
}

/** The tables a source text writes, by SQL or through a TypeORM repository of an entity. */
export function writesIn(text: string, tables: Set<string> = schemaTables(), entities: Map<string, string> = entityTables()): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(WRITE)) if (tables.has(m[1]!)) found.add(m[1]!);
  for (const m of text.matchAll(ENTITY_REPOSITORY)) {
    const table = entities.get(m[1]!);
    if (table) found.add(table);
  }
  return found;
}

/** Writes the map does not allow: `<project> writes <table>`. */
export function unexpectedWriters(map: OwnerRow[], writers: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  for (const [project, tables] of writers) {
    for (const table of tables) {
      const row = map.find((r) => r.table === table);
      if (!row || (row.owner !== project && !row.alsoWrittenBy.includes(project))) out.push(`${project} writes ${table}`);
    }
  }
  return out;
}

/**
 * Which project writes which table, found in the production sources of apps/ and libs/ (not tests, not
 * migrations, not the test harness): `<project> -> tables`. A project is `libs/<name>` or `apps/<name>`.
 */
export function tableWriters(): Map<string, Set<string>> {
  const tables = schemaTables();
  const entities = entityTables();
  const out = new Map<string, Set<string>>();
  for (const top of ['apps', 'libs']) {
    for (const file of walk(join(repoRoot, top))) {
      const project = relative(repoRoot, file).split('/').slice(0, 2).join('/');
      const text = readFileSync(file, 'utf8');
      const found = writesIn(text, tables, entities);
      if (found.size === 0) continue;
      const set = out.get(project) ?? new Set<string>();
      for (const t of found) set.add(t);
      out.set(project, set);
    }
  }
  return out;
}

export interface OwnerRow {
  table: string;
  owner: string;
  scope: string;
  alsoWrittenBy: string[];
}

/** The table under "Who owns which table" in docs/architecture.md. */
export function ownerMap(): OwnerRow[] {
  const doc = readFileSync(join(repoRoot, 'docs/architecture.md'), 'utf8');
  const start = doc.indexOf('## Who owns which table');
  if (start < 0) throw new Error('docs/architecture.md has no "## Who owns which table" section');
  const section = doc.slice(start, doc.indexOf('\n## ', start + 5));
  const rows: OwnerRow[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const table = /^`([a-z_]+)`$/.exec(cells[1] ?? '');
    if (!table) continue;
    const code = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rows.push({ table: table[1]!, owner: code(cells[2])[0] ?? '', scope: code(cells[3])[0] ?? '', alsoWrittenBy: code(cells[4]) });
  }
  return rows;
}

export function projectTags(project: string): string[] {
  const json = JSON.parse(readFileSync(join(repoRoot, project, 'project.json'), 'utf8')) as { tags?: string[] };
  return json.tags ?? [];
}
