import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../libs/testing/src';

export interface ScenarioReport {
  scenario: string;
  submitted: number;
  completed: number;
  lost: number;
  duplicate_documents: number;
  duplicate_chunks: number;
  time_to_recover_ms: number | null;
  notes?: string;
}

/** Prints the per-scenario table and writes it to tmp/fault-report.json. */
export function writeFaultReport(rows: ScenarioReport[]): void {
  const header = ['scenario', 'submitted', 'completed', 'lost', 'dup docs', 'dup chunks', 'recover ms'];
  const lines = rows.map((r) =>
    [r.scenario, r.submitted, r.completed, r.lost, r.duplicate_documents, r.duplicate_chunks, r.time_to_recover_ms ?? '-'].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const table = [fmt(header), ...lines.map(fmt)].join('\n');
  const dir = join(repoRoot, 'tmp');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fault-report.json'), JSON.stringify({ at: new Date().toISOString(), scenarios: rows }, null, 2));
  process.stderr.write(`\nfault scenarios (tmp/fault-report.json):\n${table}\n\n`);
}
