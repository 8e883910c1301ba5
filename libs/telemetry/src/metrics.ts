import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's metrics. Names are snake_case with unit suffixes; labels are low-cardinality (never a tenant,
 * document or job id). Every service exposes them on its own metrics port, never on its API port.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly workerJobs = new Counter({
    name: 'worker_jobs_total',
    help: 'Job attempts ended by a worker, by queue and outcome',
    labelNames: ['queue', 'status'] as const,
    registers: [this.registry],
  });

  readonly workerProcessingDuration = new Histogram({
    name: 'worker_processing_duration_seconds',
    help: 'Time a worker spent on one job attempt',
    labelNames: ['queue'] as const,
    buckets: [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900],
    registers: [this.registry],
  });

  readonly embeddingCalls = new Counter({
    name: 'embedding_api_calls_total',
    help: 'Calls to the embedding provider by provider and outcome (success, retry, failure)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly embeddingDuration = new Histogram({
    name: 'embedding_request_duration_seconds',
    help: 'Embedding provider request latency',
    labelNames: ['provider'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly embeddingBatchSize = new Histogram({
    name: 'embedding_batch_size',
    help: 'Texts per embedding provider request',
    labelNames: ['provider'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [this.registry],
  });

  readonly ingestDocuments = new Counter({
    name: 'ingest_documents_total',
    help: 'Documents upserted, by result (created, updated, unchanged)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly ingestChunks = new Counter({ name: 'ingest_chunks_total', help: 'Chunks written', registers: [this.registry] });

  readonly ingestBytes = new Counter({
    name: 'ingest_bytes_total',
    help: 'Bytes of document text ingested (UTF-8)',
    registers: [this.registry],
  });

  readonly vectorIndexBuilds = new Histogram({
    name: 'vector_index_build_seconds',
    help: "Builds of a scope's HNSW index, by outcome (built, failed)",
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [this.registry],
  });

  readonly searchDuration = new Histogram({
    name: 'search_duration_seconds',
    help: 'Search latency by mode',
    labelNames: ['mode'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly erasures = new Counter({
    name: 'erasures_total',
    help: 'Erasures executed by scope and kind (erase, dry_run)',
    labelNames: ['scope', 'kind'] as const,
    registers: [this.registry],
  });

  readonly retentionSweeps = new Counter({
    name: 'retention_sweeps_total',
    help: 'Retention sweeps completed',
    registers: [this.registry],
  });

  readonly retentionDeleted = new Counter({
    name: 'retention_deleted_documents_total',
    help: 'Documents removed by retention sweeps, by reason (expired, purged)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge whose value is read at scrape time (queue lengths, pool usage, outbox lag). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (set: (labels: Partial<Record<L, string>>, value: number) => void) => Promise<void> | void,
  ): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect((labels, value) => this.set(labels as never, value));
      },
    });
  }
}
