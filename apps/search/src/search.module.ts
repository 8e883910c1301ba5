import { IndexStatsRepository, SearchRepository, VectorIndexRepository } from '@datafactory/db';
import { BasicServiceModule, VectorIndexBootstrap, embeddingProvider, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { SEARCH_CONFIG, SearchConfig } from './search.config';
import { IndexStatsUseCase } from './search/index-stats.use-case';
import { SearchController } from './search/search.controller';
import { SearchUseCase } from './search/search.use-case';

@Module({})
export class SearchModule {
  static forRoot(config: SearchConfig): DynamicModule {
    return {
      module: SearchModule,
      imports: [BasicServiceModule.forRoot('search', config)],
      controllers: [SearchController],
      providers: [
        { provide: SEARCH_CONFIG, useValue: config },
        embeddingProvider(config),
        ...repositoryProviders([SearchRepository, IndexStatsRepository, VectorIndexRepository]),
        SearchUseCase,
        IndexStatsUseCase,
        VectorIndexBootstrap,
      ],
    };
  }
}
