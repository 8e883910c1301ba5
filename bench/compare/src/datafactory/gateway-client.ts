/** The calls the bench makes through DataFactory's gateway (docs/api.md), with the fields it reads. */
import { performance } from 'node:perf_hooks';
import { ApiClient, ApiResult } from '../../../lib/api';
import type { BenchDoc } from '../corpus/corpus';

export type SearchMode = 'hybrid' | 'vector' | 'keyword';
export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'vector', 'keyword'];

export interface SearchHit {
  doc_id: string;
  chunk_id: string;
}

export interface SearchResponse {
  results: SearchHit[];
  embedding_version: string;
}

interface JobCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface Job {
  job_id: string;
  status: string;
  counts: JobCounts;
  error: { code: string; message: string } | null;
  created_at: string;
  finished_at: string | null;
}

export interface Tenant {
  tenantId: string;
  key: string;
}

export interface IngestRun {
  documents: number;
  batches: number;
  /** First POST sent → last batch accepted (202). */
  submit_s: number;
  /** First POST sent → every job seen in an end state (polled every 100 ms). */
  time_to_searchable_s: number;
  /** The server's view: the first job's created_at → the last job's finished_at. */
  server_span_s: number | null;
  docs_per_s: number;
  counts: JobCounts;
  /** Jobs per end state. */
  statuses: Record<string, number>;
  errors: string[];
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'dead_lettered']);
const POLL_MS = 100;

export class GatewayClient {
  readonly api: ApiClient;

  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
  ) {
    this.api = new ApiClient(baseUrl, 120_000);
  }

  async createTenant(name: string): Promise<Tenant> {
    const tenant = must(
      await this.api.request<{ tenant_id: string }>('POST', '/v1/admin/tenants', this.adminToken, { name }),
      'create tenant',
    );
    const key = must(
      await this.api.request<{ api_key: string }>('POST', `/v1/admin/tenants/${tenant.tenant_id}/keys`, this.adminToken, {
        role: 'writer',
        name: 'bench',
      }),
      'create key',
    );
    return { tenantId: tenant.tenant_id, key: key.api_key };
  }

  async search(
    key: string,
    body: { namespace: string; query: string; mode: SearchMode; top_k: number; filter?: Record<string, number> },
  ): Promise<ApiResult<SearchResponse>> {
    return this.api.request<SearchResponse>('POST', '/v1/search', key, body);
  }

  async indexStats(key: string, namespace: string): Promise<{ chunks: number; documents: number; index: { valid: boolean } | null }> {
    return must(await this.api.request('GET', `/v1/index/stats?namespace=${encodeURIComponent(namespace)}`, key), 'index stats');
  }

  /** Posts the documents in batches, one after another as a client would, then waits for every job. */
  async ingest(key: string, namespace: string, docs: readonly BenchDoc[], batchSize: number): Promise<IngestRun> {
    const started = performance.now();
    const jobIds: string[] = [];
    for (let i = 0; i < docs.length; i += batchSize) {
      const documents = docs.slice(i, i + batchSize).map((d) => ({ doc_id: d.id, text: d.text, metadata: d.metadata }));
      const accepted = must(
        await this.api.request<{ job_id: string }>('POST', '/v1/docs/upsert/batch', key, { namespace, documents }),
        'batch upsert',
      );
      jobIds.push(accepted.job_id);
    }
    const submitted = performance.now();
    const finished = new Map<string, Job>();
    while (finished.size < jobIds.length) {
      for (const id of jobIds) {
        if (finished.has(id)) continue;
        const job = must(await this.api.request<Job>('GET', `/v1/jobs/${id}`, key), 'job status');
        if (TERMINAL.has(job.status)) finished.set(id, job);
      }
      if (finished.size < jobIds.length) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const done = performance.now();
    const jobs = [...finished.values()];
    const counts: JobCounts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
    const statuses: Record<string, number> = {};
    for (const job of jobs) {
      for (const k of Object.keys(counts) as (keyof JobCounts)[]) counts[k] += job.counts[k];
      statuses[job.status] = (statuses[job.status] ?? 0) + 1;
    }
    const created = Math.min(...jobs.map((j) => Date.parse(j.created_at)));
    const ended = Math.max(...jobs.map((j) => (j.finished_at ? Date.parse(j.finished_at) : Number.NaN)));
    const seconds = (done - started) / 1000;
    return {
      documents: docs.length,
      batches: jobIds.length,
      submit_s: (submitted - started) / 1000,
      time_to_searchable_s: seconds,
      server_span_s: Number.isFinite(ended - created) ? (ended - created) / 1000 : null,
      docs_per_s: docs.length / seconds,
      counts,
      statuses,
      errors: jobs
        .filter((j) => j.status !== 'completed' || j.counts.failed > 0)
        .map((j) => `${j.job_id} ${j.status}${j.error ? ` ${j.error.code}` : ''}`),
    };
  }
}

/** The body of a successful call, else an error naming the step. */
export function must<T>(result: ApiResult<T>, step: string): T {
  if (!result.ok) throw new Error(`${step}: HTTP ${result.status} ${result.code}: ${result.message}`);
  return result.body;
}
