import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  url: string;
  adminToken: string;
  /** Folder or .jsonl file; undefined = synthetic corpus. */
  input: string | undefined;
  docs: number;
  words: number;
  seed: number;
  concurrency: number;
  queries: number;
  topK: number;
  timeoutMs: number;
  out: string;
}

export const USAGE = `Usage: node dist/bench/ingest-search.js [options]     (or: npm run bench -- [options])

  --url <url>            gateway base URL                 env BENCH_URL, default http://127.0.0.1:8080
  --admin-token <token>  operator token for /v1/admin     env ADMIN_TOKEN, else ADMIN_TOKEN in ./.env
  --input <path>         folder of .txt/.md, or .jsonl    env BENCH_INPUT, default: synthetic corpus
  --docs <n>             synthetic documents              env BENCH_DOCS, default 500
  --words <n>            words per synthetic document     env BENCH_WORDS, default 600
  --seed <n>             seed of the corpus and queries   env BENCH_SEED, default 42
  --concurrency <n>      requests in flight               env BENCH_CONCURRENCY, default 8
  --queries <n>          searches per mode                env BENCH_QUERIES, default 200
  --top-k <n>            top_k of each search (1-100)     env BENCH_TOP_K, default 10
  --timeout-ms <n>       per-request timeout              env BENCH_TIMEOUT_MS, default 60000
  --out <file>           results file                     env BENCH_OUT, default bench/results/ingest-search-<timestamp>.json
  -h, --help             show this help
`;

/** A mistake in the command line or environment; reported without a stack trace. */
export class UsageError extends Error {}

/** Reads KEY=value lines of a dotenv file (comments, `export ` and surrounding quotes allowed). */
export function readDotenv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2] ?? '';
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    out[match[1] as string] = value;
  }
  return out;
}

/** `null` when -h/--help was given. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv, timestamp: string): BenchOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        'admin-token': { type: 'string' },
        input: { type: 'string' },
        docs: { type: 'string' },
        words: { type: 'string' },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
        queries: { type: 'string' },
        'top-k': { type: 'string' },
        'timeout-ms': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values['help'] === true) return null;

  const flag = (name: string, envName: string): string | undefined => {
    const v = values[name];
    if (typeof v === 'string') return v;
    const e = env[envName];
    return e === undefined || e === '' ? undefined : e;
  };
  const int = (name: string, envName: string, fallback: number, min: number, max: number): number => {
    const raw = flag(name, envName);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} (${envName}) must be an integer between ${min} and ${max}, got "${raw}"`);
    return n;
  };

  const adminToken = flag('admin-token', 'ADMIN_TOKEN') ?? readDotenv('.env')['ADMIN_TOKEN'];
  if (!adminToken)
    throw new UsageError('no admin token: pass --admin-token, set ADMIN_TOKEN, or run from the repository root where .env has ADMIN_TOKEN');

  const url = (flag('url', 'BENCH_URL') ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);

  return {
    url,
    adminToken,
    input: flag('input', 'BENCH_INPUT'),
    docs: int('docs', 'BENCH_DOCS', 500, 1, 10_000_000),
    words: int('words', 'BENCH_WORDS', 600, 1, 1_000_000),
    seed: int('seed', 'BENCH_SEED', 42, 0, 2 ** 32 - 1),
    concurrency: int('concurrency', 'BENCH_CONCURRENCY', 8, 1, 1024),
    queries: int('queries', 'BENCH_QUERIES', 200, 0, 10_000_000),
    topK: int('top-k', 'BENCH_TOP_K', 10, 1, 100),
    timeoutMs: int('timeout-ms', 'BENCH_TIMEOUT_MS', 60_000, 1, 3_600_000),
    out: flag('out', 'BENCH_OUT') ?? `bench/results/ingest-search-${timestamp}.json`,
  };
}
