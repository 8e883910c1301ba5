/**
 * Long technical documents for the time-to-searchable corpus: the Markdown and text files and the
 * TypeScript declaration files (prose in doc comments, code around it) installed under the product's
 * and the bench's node_modules. The set is fixed by the two lock files, so every machine with the same
 * locks gets the same documents.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface PackageDoc {
  /** Path below the repository root, e.g. node_modules/pg/README.md. */
  path: string;
  kind: 'npm-docs' | 'npm-types';
  text: string;
}

const PROSE = /\.(md|markdown|txt|rst)$/i;
const TYPES = /\.d\.ts$/;
// Licence texts are near-identical boilerplate; they would add duplicates, not documents.
const SKIP_NAME = /^(licen[cs]e|copying|notice|authors)/i;
const MIN_BYTES = 2_048;
const MAX_BYTES = 64 * 1_024;

/** Every candidate below the given node_modules folders, without exact duplicates, sorted by path. */
export function findPackageDocs(repoRoot: string, nodeModulesDirs: readonly string[]): PackageDoc[] {
  const files: string[] = [];
  for (const dir of nodeModulesDirs) walk(dir, files);
  files.sort();
  const seen = new Set<string>();
  const out: PackageDoc[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (text.includes('\u0000') || text.trim() === '') continue;
    const hash = createHash('sha1').update(text).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    out.push({ path: relative(repoRoot, file), kind: TYPES.test(file) ? 'npm-types' : 'npm-docs', text });
  }
  return out;
}

function walk(dir: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === '.bin' || name === '.cache') continue;
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) walk(path, out);
    else if (
      stat.isFile() &&
      stat.size >= MIN_BYTES &&
      stat.size <= MAX_BYTES &&
      !SKIP_NAME.test(name) &&
      (PROSE.test(name) || TYPES.test(name))
    ) {
      out.push(path);
    }
  }
}
