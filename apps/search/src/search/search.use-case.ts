import { AppError, DEFAULT_NAMESPACE, ErrorCode, SearchRequest, SearchResponse, SearchResult, TenantId } from '@datafactory/contracts';
import { SearchRepository, toVectorLiteral } from '@datafactory/db';
import { EmbeddingError, EmbeddingProvider } from '@datafactory/embedding';
import { EMBEDDING_PROVIDER } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { SEARCH_CONFIG, SearchConfig } from '../search.config';
import { QueryEmbeddingCache } from './query-embedding.cache';
import { rankCandidates } from './rank-fusion';

const MAX_EF_SEARCH = 1000;

@Injectable()
export class SearchUseCase {
  private readonly queryCache: QueryEmbeddingCache;

  constructor(
    private readonly search: SearchRepository,
    @Inject(EMBEDDING_PROVIDER) private readonly embedder: EmbeddingProvider,
    @Inject(SEARCH_CONFIG) private readonly config: SearchConfig,
    private readonly metrics: Metrics,
  ) {
    this.queryCache = new QueryEmbeddingCache(config.QUERY_EMBEDDING_CACHE_SIZE);
  }

  async execute(tenantId: TenantId, req: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    const scope = { namespace: req.namespace ?? DEFAULT_NAMESPACE, ...(req.filter ? { filter: req.filter } : {}) };
    const queryVector = req.mode === 'keyword' ? null : await this.embedQuery(req.query);
    // Hybrid fuses two candidate lists, so it looks deeper than top_k into each.
    const candidates = req.mode === 'hybrid' ? Math.max(req.top_k, this.config.SEARCH_HYBRID_CANDIDATES) : req.top_k;
    const tuning = { efSearch: Math.min(MAX_EF_SEARCH, Math.max(this.config.SEARCH_EF_SEARCH, candidates)), maxScanTuples: this.config.SEARCH_MAX_SCAN_TUPLES };

    const { results, totalFound } = await this.search.snapshot(tenantId, tuning, async (reader) => {
      const vector = queryVector
        ? await reader.nearest(scope, { embeddingVersion: this.embedder.version, dimensions: this.embedder.dimensions, vector: queryVector }, candidates)
        : [];
      const keyword = req.mode === 'vector' ? [] : await reader.keyword(scope, req.query, candidates);
      const ranked = rankCandidates(req.mode, vector, keyword);
      const top = ranked.slice(0, req.top_k);
      const chunks = await reader.chunks(top.map((r) => r.id));
      const out: SearchResult[] = [];
      for (const r of top) {
        const chunk = chunks.get(r.id);
        if (chunk) out.push({ doc_id: chunk.docId, chunk_id: chunk.id, score: r.score, text: chunk.text, metadata: chunk.metadata as SearchResult['metadata'] });
      }
      return { results: out, totalFound: ranked.length };
    });

    this.metrics.searchDuration.observe({ mode: req.mode }, (performance.now() - started) / 1000);
    return { results, total_found: totalFound, took_ms: Math.round((performance.now() - started) * 100) / 100, embedding_version: this.embedder.version };
  }

  private async embedQuery(query: string): Promise<string> {
    const key = QueryEmbeddingCache.key(this.embedder.version, query);
    const cached = this.queryCache.get(key);
    if (cached) return cached;
    try {
      const [vector] = await this.embedder.embed([query]);
      const literal = toVectorLiteral(vector as number[]);
      this.queryCache.set(key, literal);
      return literal;
    } catch (error) {
      if (error instanceof EmbeddingError) {
        throw new AppError(ErrorCode.EmbeddingFailed, `the embedding provider failed for the query: ${error.message}`, {
          details: { provider_code: error.code, retryable: error.retryable },
          cause: error,
        });
      }
      throw error;
    }
  }
}
