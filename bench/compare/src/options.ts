import { parseArgs } from 'node:util';

export interface CompareOptions {
  /** Long documents (package docs) in the corpus. */
  docs: number;
  /** Debian descriptions in the corpus. */
  debianDocs: number;
  /** Labelled queries (from the Debian documents), split into dev and holdout. */
  labelled: number;
  /** Timed searches per latency run. */
  queries: number;
  /** Searches run before each latency run and not counted. */
  warmup: number;
  /** Clients of the throughput runs. */
  concurrency: number;
  /** Searches per throughput run. */
  throughputQueries: number;
  /** Documents per POST /v1/docs/upsert/batch, and per LangChain addDocuments call. */
  batchSize: number;
  /** Documents each tenant ingests in the two-tenant run; 0 skips it. */
  tenantDocs: number;
  /** Chunk counts of the scale curve (DataFactory only); empty skips it. */
  scale: number[];
  skipPeer: boolean;
  skipDataFactory: boolean;
  /** Results path without extension; .json, .md and .svg are written. */
  out: string;
  /** Cache of downloaded and generated data (git-ignored). */
  dataDir: string;
  /** A previous results JSON whose labelled-set scores are "today's" (goal 4). */
  baseline: string | undefined;
  keepDatabases: boolean;
  smoke: boolean;
}

export const USAGE = `Usage: npm run bench:compare -- [options]          (smoke: npm run bench:compare:smoke)

Runs LangChain.js PGVectorStore and DataFactory on the same corpus, Postgres and embedding server.

  --docs <n>                long documents (package docs)               default 3000 (smoke 200)
  --debian-docs <n>         Debian descriptions                         default 1000 (smoke 80)
  --labelled <n>            labelled queries (dev + holdout)            default 400 (smoke 40)
  --queries <n>             timed searches per latency run              default 200 (smoke 20)
  --warmup <n>              untimed searches before each latency run    default 10 (smoke 2)
  --concurrency <n>         clients in the throughput runs              default 16
  --throughput-queries <n>  searches per throughput run                 default 480 (smoke 64)
  --batch-size <n>          documents per batch request (1-1000)        default 500 (smoke 100)
  --tenant-docs <n>         documents per tenant, two-tenant run; 0=off default 1000 (smoke 60)
  --scale <n,n,...>         scale curve at these chunk counts           default off (e.g. 10000,100000,300000)
  --skip-peer               DataFactory only
  --skip-datafactory        LangChain.js only
  --baseline <file.json>    earlier results: "today's" labelled-set scores for goal 4
  --out <path>              results path without extension              default bench/results/compare-<time>
  --data-dir <dir>          data cache                                  default bench/data
  --keep-databases          do not drop the run's databases
  --smoke                   a small run (the defaults marked smoke)
  -h, --help
`;

export class UsageError extends Error {}

const FULL = {
  docs: 3000,
  debianDocs: 1000,
  labelled: 400,
  queries: 200,
  warmup: 10,
  throughputQueries: 480,
  batchSize: 500,
  tenantDocs: 1000,
};
const SMOKE = { docs: 200, debianDocs: 80, labelled: 40, queries: 20, warmup: 2, throughputQueries: 64, batchSize: 100, tenantDocs: 60 };

/** `null` for --help. */
export function parseOptions(argv: readonly string[], timestamp: string): CompareOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        docs: { type: 'string' },
        'debian-docs': { type: 'string' },
        labelled: { type: 'string' },
        queries: { type: 'string' },
        warmup: { type: 'string' },
        concurrency: { type: 'string' },
        'throughput-queries': { type: 'string' },
        'batch-size': { type: 'string' },
        'tenant-docs': { type: 'string' },
        scale: { type: 'string' },
        'skip-peer': { type: 'boolean' },
        'skip-datafactory': { type: 'boolean' },
        baseline: { type: 'string' },
        out: { type: 'string' },
        'data-dir': { type: 'string' },
        'keep-databases': { type: 'boolean' },
        smoke: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values['help'] === true) return null;
  const smoke = values['smoke'] === true;
  const defaults = smoke ? SMOKE : FULL;
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (typeof raw !== 'string') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    return n;
  };
  const scaleRaw = values['scale'];
  const scale = typeof scaleRaw === 'string' ? scaleRaw.split(',').map((s) => Number(s.trim())) : [];
  if (scale.some((n) => !Number.isInteger(n) || n < 1))
    throw new UsageError(`--scale takes positive chunk counts separated by commas, got "${String(scaleRaw)}"`);
  const options: CompareOptions = {
    docs: int('docs', defaults.docs, 0, 1_000_000),
    debianDocs: int('debian-docs', defaults.debianDocs, 1, 1_000_000),
    labelled: int('labelled', defaults.labelled, 1, 1_000_000),
    queries: int('queries', defaults.queries, 1, 1_000_000),
    warmup: int('warmup', defaults.warmup, 0, 10_000),
    concurrency: int('concurrency', 16, 1, 1_024),
    throughputQueries: int('throughput-queries', defaults.throughputQueries, 1, 10_000_000),
    batchSize: int('batch-size', defaults.batchSize, 1, 1_000),
    tenantDocs: int('tenant-docs', defaults.tenantDocs, 0, 1_000_000),
    scale: [...scale].sort((a, b) => a - b),
    skipPeer: values['skip-peer'] === true,
    skipDataFactory: values['skip-datafactory'] === true,
    baseline: typeof values['baseline'] === 'string' ? values['baseline'] : undefined,
    out:
      typeof values['out'] === 'string'
        ? values['out'].replace(/\.(json|md|svg)$/, '')
        : `bench/results/compare${smoke ? '-smoke' : ''}-${timestamp}`,
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : 'bench/data',
    keepDatabases: values['keep-databases'] === true,
    smoke,
  };
  if (options.skipPeer && options.skipDataFactory) throw new UsageError('--skip-peer and --skip-datafactory leave nothing to run');
  return options;
}
