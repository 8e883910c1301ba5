import { DocumentsRepository, VectorIndexRepository } from '@datafactory/db';
import { BasicServiceModule, VectorIndexBootstrap, embeddingProvider, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { DocumentsController } from './documents/documents.controller';
import { UpsertDocumentUseCase } from './documents/upsert-document.use-case';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [BasicServiceModule.forRoot('ingest', config)],
      controllers: [DocumentsController],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        embeddingProvider(config),
        ...repositoryProviders([DocumentsRepository, VectorIndexRepository]),
        UpsertDocumentUseCase,
        VectorIndexBootstrap,
      ],
    };
  }
}
