import { z } from 'zod';

export const port = (fallback: number) =>
  z.coerce.number().int().min(1, 'must be a port number 1-65535').max(65535, 'must be a port number 1-65535').default(fallback);

const positiveInt = (fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number()
    .int(`must be an integer between ${min} and ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const urlWithProtocol = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL such as ${example}`,
  );

const secret = (name: string) =>
  z
    .string({ error: `${name} is required (it is generated into .env on first start; see .env.example)` })
    .min(24, 'must be at least 24 characters (generate one with: openssl rand -base64 32)');

/** The port of a service's `/metrics` (Prometheus); never its API port. */
export const metricsPort = (fallback: number) => z.object({ METRICS_PORT: port(fallback) });

export const runtimeConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10_000, 100, 600_000),
});

export const databaseConfig = z.object({
  DATABASE_URL: urlWithProtocol(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/datafactory').default(
    'postgres://postgres@127.0.0.1:5432/datafactory',
  ),
  DB_POOL_SIZE: positiveInt(10, 1, 200),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(30_000, 100, 3_600_000),
  /** The server ends a session idle inside a transaction this long, so a frozen process cannot hold locks forever. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveInt(15_000, 100, 3_600_000),
});

export const redisConfig = z.object({
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
});

export const internalConfig = z.object({
  INTERNAL_TOKEN: secret('INTERNAL_TOKEN'),
});

export const serviceUrlsConfig = z.object({
  INGEST_URL: urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:8081').default('http://127.0.0.1:8081'),
  SEARCH_URL: urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:8082').default('http://127.0.0.1:8082'),
  JOB_ORCHESTRATOR_URL: urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:8083').default('http://127.0.0.1:8083'),
  GOVERNANCE_URL: urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:8084').default('http://127.0.0.1:8084'),
  UPSTREAM_TIMEOUT_MS: positiveInt(30_000, 100, 600_000),
});

export const gatewayOnlyConfig = z.object({
  IDEMPOTENCY_TTL_SECONDS: positiveInt(24 * 3600, 60, 30 * 24 * 3600),
  SSE_HEARTBEAT_MS: positiveInt(15_000, 100, 300_000),
  GATEWAY_PORT: port(8080),
  ADMIN_TOKEN: secret('ADMIN_TOKEN'),
  API_KEY_PEPPER: secret('API_KEY_PEPPER'),
  MAX_BODY_BYTES: positiveInt(10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
});

export const embeddingConfig = z.object({
  EMBEDDING_PROVIDER: z.enum(['hash', 'openai'], { error: 'must be "hash" (offline default) or "openai"' }).default('hash'),
  EMBEDDING_BASE_URL: urlWithProtocol(['http:', 'https:'], 'http://127.0.0.1:11434/v1').optional(),
  EMBEDDING_MODEL: z.string().min(1).optional(),
  EMBEDDING_DIMENSIONS: z.coerce.number().int().min(8, 'must be between 8 and 4096').max(4096, 'must be between 8 and 4096').optional(),
  EMBEDDING_API_KEY: z.string().min(1).optional(),
  EMBEDDING_AZURE_API_VERSION: z.string().min(1).optional(),
  EMBEDDING_BATCH_SIZE: positiveInt(64, 1, 2048),
  EMBEDDING_CONCURRENCY: positiveInt(4, 1, 64),
  EMBEDDING_TIMEOUT_MS: positiveInt(30_000, 100, 600_000),
  EMBEDDING_MAX_RETRIES: positiveInt(5, 0, 20),
});

/**
 * Options for an app's cross-field `superRefine`: run it even when unrelated settings are invalid (so every
 * problem is reported at once), but not when one of the fields it reads is itself invalid.
 */
export function whenFieldsValid(...fields: string[]): { when: (payload: { issues: Array<{ path?: PropertyKey[] }> }) => boolean } {
  return { when: (payload) => !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))) };
}

export const EMBEDDING_FIELDS = ['EMBEDDING_PROVIDER', 'EMBEDDING_BASE_URL', 'EMBEDDING_MODEL', 'EMBEDDING_DIMENSIONS'];
export const CHUNKING_FIELDS = ['CHUNK_MAX_TOKENS', 'CHUNK_OVERLAP_TOKENS'];

/** Cross-field rules of {@link embeddingConfig}; apps call it from their schema's superRefine. */
export function checkEmbeddingConfig(c: z.output<typeof embeddingConfig>, ctx: z.RefinementCtx): void {
  if (c.EMBEDDING_PROVIDER !== 'openai') return;
  if (!c.EMBEDDING_BASE_URL)
    ctx.addIssue({ code: 'custom', path: ['EMBEDDING_BASE_URL'], message: 'is required when EMBEDDING_PROVIDER=openai' });
  if (!c.EMBEDDING_MODEL)
    ctx.addIssue({ code: 'custom', path: ['EMBEDDING_MODEL'], message: 'is required when EMBEDDING_PROVIDER=openai' });
  if (!c.EMBEDDING_DIMENSIONS)
    ctx.addIssue({
      code: 'custom',
      path: ['EMBEDDING_DIMENSIONS'],
      message: 'is required when EMBEDDING_PROVIDER=openai (the vector index is built for a fixed dimension)',
    });
}

export const chunkingConfig = z.object({
  CHUNK_MAX_TOKENS: positiveInt(400, 16, 8192),
  CHUNK_OVERLAP_TOKENS: positiveInt(60, 0, 4096),
});

/** Cross-field rules of {@link chunkingConfig}. */
export function checkChunkingConfig(c: z.output<typeof chunkingConfig>, ctx: z.RefinementCtx): void {
  if (c.CHUNK_OVERLAP_TOKENS >= c.CHUNK_MAX_TOKENS / 2) {
    ctx.addIssue({ code: 'custom', path: ['CHUNK_OVERLAP_TOKENS'], message: 'must be less than half of CHUNK_MAX_TOKENS' });
  }
}

/** Postgres's largest `maintenance_work_mem` on 64-bit systems (MAX_KILOBYTES, INT_MAX kB), rounded down to a whole GB. */
const MAX_MAINTENANCE_WORK_MEM_KB = 2047 * 1024 * 1024;
const KB_PER_UNIT: Record<string, number> = { kB: 1, MB: 1024, GB: 1024 * 1024 };

function memoryKb(size: string): number {
  const unit = size.slice(-2);
  return Number(size.slice(0, -2)) * (KB_PER_UNIT[unit] ?? Number.NaN);
}

/** Per-scope HNSW indexes (docs/adr/0014): when a scope gets one, and how it is built. */
export const vectorIndexConfig = z.object({
  /** A scope (tenant, namespace, embedding version) with fewer live chunks is searched exactly, without an index. */
  VECTOR_INDEX_MIN_CHUNKS: positiveInt(1_000, 1, 100_000_000),
  VECTOR_INDEX_M: positiveInt(16, 2, 100),
  VECTOR_INDEX_EF_CONSTRUCTION: positiveInt(64, 4, 1000),
  /** Postgres `maintenance_work_mem` of a build; the graph should fit (about 2 × the vectors' size). */
  VECTOR_INDEX_BUILD_MEMORY: z
    .string()
    .regex(/^[1-9][0-9]{0,9}(kB|MB|GB)$/, 'must be a Postgres memory size such as 256MB or 1GB')
    .refine(
      (v) => memoryKb(v) >= 1024 && memoryKb(v) <= MAX_MAINTENANCE_WORK_MEM_KB,
      'must be between 1MB and 2047GB (maintenance_work_mem)',
    )
    .default('256MB'),
});

export const searchTuningConfig = z.object({
  SEARCH_EF_SEARCH: positiveInt(100, 10, 1000),
  SEARCH_MAX_SCAN_TUPLES: positiveInt(20_000, 1000, 10_000_000),
  SEARCH_HYBRID_CANDIDATES: positiveInt(100, 10, 1000),
});

export const queueConfig = z.object({
  /** Key prefix of every BullMQ queue and pub/sub channel; separate deployments (and test runs) use their own. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"')
    .default('df'),
});

/** What every service that creates jobs needs (JobService, `@datafactory/jobs`). */
export const jobCreationConfig = z.object({
  ...queueConfig.shape,
  /** Attempts a job gets (the first run and its retries) before it is dead-lettered; stored with each job. */
  JOB_MAX_ATTEMPTS: positiveInt(5, 1, 50),
});

export const retryConfig = z.object({
  /** Retry n waits RETRY_BASE_MS × RETRY_FACTOR^(n-1), ±20 % jitter: 1 s, 5 s, 25 s, 125 s by default. */
  RETRY_BASE_MS: positiveInt(1_000, 1, 3_600_000),
  RETRY_FACTOR: positiveInt(5, 1, 100),
});

export const workerConfig = z.object({
  WORKER_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  WORKER_CONCURRENCY: positiveInt(2, 1, 64),
  /** How long a worker's lock on a job lasts without renewal; a stopped worker loses the job after this. */
  WORKER_LOCK_MS: positiveInt(30_000, 1_000, 600_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt(30_000, 1_000, 600_000),
  /** Documents a batch job writes per transaction (they share one embedding pass and one commit). */
  WORKER_WRITE_GROUP_DOCS: positiveInt(32, 1, 500),
});

export const governanceKeyConfig = z.object({
  /** Signs erasure certificates (HMAC-SHA-256) and salts the hashes under which subject ids are kept after an erasure. */
  GOVERNANCE_SIGNING_KEY: secret('GOVERNANCE_SIGNING_KEY'),
});

export const retentionConfig = z.object({
  /** Documents not updated for this many days are deleted by the sweep, unless a policy or a legal hold says otherwise. */
  RETENTION_DEFAULT_DAYS: positiveInt(180, 0, 36_500),
  /** Soft-deleted documents are purged (hard-deleted) this many days after their deletion. */
  RETENTION_DELETED_GRACE_DAYS: positiveInt(30, 0, 36_500),
  /** How often the job-orchestrator schedules a sweep per tenant. */
  RETENTION_SWEEP_INTERVAL_MS: positiveInt(3_600_000, 1_000, 7 * 24 * 3_600_000),
  /** Documents removed per transaction by a sweep. */
  RETENTION_SWEEP_BATCH: positiveInt(200, 1, 10_000),
});
