import { AuditRepository } from '@datafactory/audit';
import { DocumentsRepository, PiiPolicyReader, RetentionSweepRepository, VectorIndexRepository } from '@datafactory/ingest-data';
import { ErasureRepository } from '@datafactory/erasure';
import { JobItemsRepository, JobLeaseRepository, JobsRepository } from '@datafactory/jobs';
import { JobEventsNotifier } from '@datafactory/queue';
import { Redis } from 'ioredis';
import { BasicServiceModule, embeddingProvider, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { DocumentsController } from './documents/documents.controller';
import { UpsertDocumentUseCase } from './documents/upsert-document.use-case';
import { VectorIndexer } from './documents/vector-indexer';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { BatchUpsertHandler } from './jobs/batch-upsert.handler';
import { ErasureHandler } from './jobs/erasure.handler';
import { RetentionSweepHandler } from './jobs/retention-sweep.handler';
import { IndexRebuildHandler } from './jobs/index-rebuild.handler';
import { IngestWorker } from './jobs/ingest.worker';
import { JOB_HANDLERS } from './jobs/job-handler';

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
        ...repositoryProviders([
          DocumentsRepository,
          VectorIndexRepository,
          JobsRepository,
          JobLeaseRepository,
          JobItemsRepository,
          PiiPolicyReader,
          ErasureRepository,
          AuditRepository,
          RetentionSweepRepository,
        ]),
        UpsertDocumentUseCase,
        VectorIndexer,
        { provide: JobEventsNotifier, useFactory: (redis: Redis) => new JobEventsNotifier(redis, config.QUEUE_PREFIX), inject: [Redis] },
        BatchUpsertHandler,
        IndexRebuildHandler,
        ErasureHandler,
        RetentionSweepHandler,
        {
          provide: JOB_HANDLERS,
          useFactory: (...handlers: unknown[]) => handlers,
          inject: [BatchUpsertHandler, IndexRebuildHandler, ErasureHandler, RetentionSweepHandler],
        },
        IngestWorker,
      ],
    };
  }
}
