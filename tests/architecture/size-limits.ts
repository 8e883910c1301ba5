import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './table-writers';

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 60;

/** Production sources: apps and libs, without tests, test support and the PII detectors (long by nature: patterns). */
export function productionFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!['node_modules', 'testing', 'migrations'].includes(name)) walk(path);
      } else if (name.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(name)) {
        out.push(relative(repoRoot, path));
      }
    }
  };
  walk(join(repoRoot, 'apps'));
  walk(join(repoRoot, 'libs'));
  return out.filter((f) => !/^libs\/pii\/src\/.*\.detector\.ts$/.test(f) && !f.startsWith('libs/testing/'));
}

export interface FunctionSize {
  file: string;
  name: string;
  lines: number;
}

/** Every function, method, accessor, constructor and arrow function of a source text, with its length in lines. */
export function functionSizes(file: string, text: string): FunctionSize[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: FunctionSize[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = node as ts.Node & { name?: ts.Node };
      const name = named.name
        ? named.name.getText(source)
        : ts.isArrowFunction(node) || ts.isFunctionExpression(node)
          ? '(anonymous)'
          : '?';
      out.push({ file, name, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

export function fileLines(file: string): number {
  return readFileSync(join(repoRoot, file), 'utf8').split('\n').length - 1;
}
