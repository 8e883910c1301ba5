import { DEFAULT_NAMESPACE, IndexStatsResponse, TenantId } from '@datafactory/contracts';
import { IndexStatsRepository } from '@datafactory/search-data';
import { VectorIndexCatalog } from '@datafactory/db';
import { EmbeddingProvider } from '@datafactory/embedding';
import { EMBEDDING_PROVIDER } from '@datafactory/service-kit';
import { Inject, Injectable } from '@nestjs/common';

@Injectable()
export class IndexStatsUseCase {
  constructor(
    private readonly stats: IndexStatsRepository,
    private readonly indexes: VectorIndexCatalog,
    @Inject(EMBEDDING_PROVIDER) private readonly embedder: EmbeddingProvider,
  ) {}

  async execute(tenantId: TenantId, namespace = DEFAULT_NAMESPACE): Promise<IndexStatsResponse> {
    const [counts, index] = await Promise.all([
      this.stats.counts(tenantId, namespace),
      this.indexes.describe({ tenantId, namespace, embeddingVersion: this.embedder.version, dimensions: this.embedder.dimensions }),
    ]);
    return {
      namespace,
      ...counts,
      embedding_version: this.embedder.version,
      index: {
        type: 'hnsw',
        distance: 'cosine',
        name: index.name,
        dimensions: index.dimensions,
        valid: index.valid,
        serving: index.valid ? 'hnsw' : 'exact',
        size_bytes: index.sizeBytes,
        iterative_scan: 'strict_order',
      },
    };
  }
}
