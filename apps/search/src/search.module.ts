import { IndexStatsRepository, SearchRepository } from '@datafactory/search-data';
import { VectorIndexCatalog } from '@datafactory/db';
import { BasicServiceModule, embeddingProvider, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SEARCH_CONFIG, SearchConfig, searchTuning } from './search.config';
import { IndexStatsUseCase } from './search/index-stats.use-case';
import { SearchController } from './search/search.controller';
import { SearchUseCase } from './search/search.use-case';

@Module({})
export class SearchModule {
  static forRoot(config: SearchConfig): DynamicModule {
    // Every pooled connection starts with the default HNSW settings, so a search needs no set-up round trip.
    const tuning = searchTuning(config);
    return {
      module: SearchModule,
      imports: [BasicServiceModule.forRoot('search', config, { sessionSettings: SearchRepository.sessionSettings(tuning) })],
      controllers: [SearchController],
      providers: [
        { provide: SEARCH_CONFIG, useValue: config },
        embeddingProvider(config),
        { provide: SearchRepository, useFactory: (ds: DataSource) => new SearchRepository(ds, tuning), inject: [DataSource] },
        ...repositoryProviders([IndexStatsRepository, VectorIndexCatalog]),
        SearchUseCase,
        IndexStatsUseCase,
      ],
    };
  }
}
