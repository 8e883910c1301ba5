import { VectorIndexRepository } from '@datafactory/db';
import { EmbeddingProvider } from '@datafactory/embedding';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EMBEDDING_PROVIDER } from './embedding.provider';

/**
 * Ensures the HNSW index of the configured embedding version exists before traffic arrives. Ingest
 * and search both run it (either may start first); it is idempotent and serialised in Postgres.
 */
@Injectable()
export class VectorIndexBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly indexes: VectorIndexRepository,
    @Inject(EMBEDDING_PROVIDER) private readonly embedder: EmbeddingProvider,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.indexes.ensure(this.embedder.version, this.embedder.dimensions);
  }
}
