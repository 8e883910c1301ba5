import { AppError, DEFAULT_NAMESPACE, ErrorCode, SearchRequest, SearchResponse, SearchResult, TenantId } from '@datafactory/contracts';
import { SearchRepository } from '@datafactory/search-data';
import { toVectorLiteral } from '@datafactory/db';
import { EmbeddingError, EmbeddingProvider } from '@datafactory/embedding';
import { EMBEDDING_PROVIDER } from '@datafactory/service-kit';
import { Metrics } from '@datafactory/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { SEARCH_CONFIG, SearchConfig } from '../search.config';
import { QueryEmbeddingCache } from './query-embedding.cache';

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
    const tuning = {
      efSearch: Math.min(MAX_EF_SEARCH, Math.max(this.config.SEARCH_EF_SEARCH, candidates)),
      maxScanTuples: this.config.SEARCH_MAX_SCAN_TUPLES,
    };

    const vector = queryVector
      ? { embeddingVersion: this.embedder.version, dimensions: this.embedder.dimensions, vector: queryVector }
      : null;
    const found = await this.search.search(tenantId, {
      scope,
      mode: req.mode,
      vector,
      text: req.query,
      candidates,
      topK: req.top_k,
      tuning,
    });
    const results: SearchResult[] = found.hits.map((h) => ({
      doc_id: h.docId,
      chunk_id: h.id,
      score: h.score,
      text: h.text,
      metadata: h.metadata as SearchResult['metadata'],
    }));

    this.metrics.searchDuration.observe({ mode: req.mode }, (performance.now() - started) / 1000);
    return {
      results,
      total_found: found.totalFound,
      took_ms: Math.round((performance.now() - started) * 100) / 100,
      embedding_version: this.embedder.version,
    };
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
