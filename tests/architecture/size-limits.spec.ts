import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, fileLines, functionSizes, productionFiles } from './size-limits';
import { repoRoot } from './table-writers';

/** Issue #11's bar: no production file over 300 lines, no function over 60 (tests and the PII detectors aside). */
describe('size limits', () => {
  const files = productionFiles();

  it('finds the production sources', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('libs/jobs/src/jobs.repository.ts');
    expect(files.some((f) => f.endsWith('.spec.ts'))).toBe(false);
  });

  it(`keeps every production file at or under ${MAX_FILE_LINES} lines`, () => {
    expect(files.map((f) => ({ f, n: fileLines(f) })).filter((x) => x.n > MAX_FILE_LINES)).toEqual([]);
  });

  it(`keeps every function at or under ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files
      .flatMap((f) => functionSizes(f, readFileSync(join(repoRoot, f), 'utf8')))
      .filter((s) => s.lines > MAX_FUNCTION_LINES);
    expect(long).toEqual([]);
  });

  it('measures functions, methods and arrow functions (the check can fail)', () => {
    const body = Array.from({ length: 70 }, (_, i) => `  x += ${i};`).join('\n');
    const text = `function f() {\n${body}\n}\nclass C {\n  m() {\n    return 1;\n  }\n}\nconst a = () => {\n${body}\n};\n`;
    expect(functionSizes('probe.ts', text).map((s) => [s.name, s.lines])).toEqual([
      ['f', 72],
      ['m', 3],
      ['(anonymous)', 72],
    ]);
  });
});
