/**
 * A smoke of `npm run bench:compare`: the same script and code on a few hundred documents. It checks that
 * the run completes and writes its three files with the expected shape; it asserts no timing (the goals
 * are reported by the bench, not tested). bench/compare/run.sh installs the peer's packages when missing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../..');

interface Latency {
  ms: { p50: number; p95: number; p99: number } | null;
  errors: number;
}

function run(out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'bash',
      [join(repoRoot, 'bench/compare/run.sh'), '--smoke', '--out', out],
      { cwd: repoRoot, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('bench:compare smoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  const out = join(dir, 'smoke');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs both systems on a small corpus and writes JSON, Markdown and SVG', async () => {
    const result = await run(out);
    if (result.code !== 0) throw new Error(`bench:compare --smoke exited with ${result.code}:\n${result.stderr.slice(-4000)}`);

    const json = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Record<string, unknown> & {
      corpus: { documents: number; labelled: { dev: number; holdout: number } };
      peer: {
        chunks: number;
        time_to_searchable_s: number;
        latency: Latency;
        quality: { all: { queries: number } };
        storage: { bytes_per_100k: number };
      };
      datafactory: {
        ingest: { statuses: Record<string, number>; chunks: number; index_valid: boolean };
        latency: Record<'hybrid' | 'vector' | 'keyword', Latency>;
        recall_vs_exact: { recall_at_10: number | null };
        reingest: { embedding_requests: number; counts: { unchanged: number }; documents: number };
        tenants: { loss: number[] } | null;
        filtered: { returned_k: number; queries: number }[];
        rss_kb: Record<string, { rss: number | null }>;
        storage: { bytes_per_100k: number } | null;
        errors: string[];
      };
      goals: { id: string; pass: boolean | null; ratio: number | null }[];
    };
    expect(json['schema']).toBe('datafactory-bench-compare/1');
    expect(json.corpus.documents).toBeGreaterThanOrEqual(200);
    expect(json.corpus.labelled.dev + json.corpus.labelled.holdout).toBeGreaterThan(0);

    const peer = json.peer;
    expect(peer.chunks).toBeGreaterThan(0);
    expect(peer.latency.errors).toBe(0);
    expect(peer.latency.ms?.p50).toEqual(expect.any(Number));
    expect(peer.quality.all.queries).toBe(json.corpus.labelled.dev + json.corpus.labelled.holdout);
    expect(peer.storage.bytes_per_100k).toBeGreaterThan(0);

    const df = json.datafactory;
    expect(df.errors).toEqual([]);
    expect(Object.keys(df.ingest.statuses)).toEqual(['completed']);
    expect(df.ingest.index_valid).toBe(true);
    for (const mode of ['hybrid', 'vector', 'keyword'] as const) {
      expect(df.latency[mode].errors).toBe(0);
      expect(df.latency[mode].ms?.p99).toEqual(expect.any(Number));
    }
    expect(df.recall_vs_exact.recall_at_10).toEqual(expect.any(Number));
    // The idempotent path: nothing changed, so nothing is embedded.
    expect(df.reingest.embedding_requests).toBe(0);
    expect(df.reingest.counts.unchanged).toBe(df.reingest.documents);
    expect(df.tenants?.loss).toHaveLength(2);
    expect(df.filtered.length).toBeGreaterThan(0);
    expect(Object.values(df.rss_kb).every((m) => typeof m.rss === 'number')).toBe(true);
    expect(df.storage?.bytes_per_100k).toBeGreaterThan(0);

    expect(json.goals.map((g) => g.id)).toEqual(['1', '2a', '2b', '2c', '3a', '3b', '4a', '4b', '4c', '5', '6a', '6b']);
    expect(json.goals.find((g) => g.id === '1')?.ratio).toEqual(expect.any(Number));

    const markdown = readFileSync(`${out}.md`, 'utf8');
    expect(markdown).toContain('## Side by side');
    expect(markdown).toContain('## Goals (reported, not asserted)');
    expect(markdown).toMatch(/^\| 2a \| hybrid search p50/m);
    expect(result.stdout).toContain('## Side by side');

    const svg = readFileSync(`${out}.svg`, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBeGreaterThan(5);
  }, 600_000);
});
