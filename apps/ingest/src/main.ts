import './instrument';
import 'reflect-metadata';
import { serve } from '@datafactory/service-kit';
import { loadIngestConfig } from './ingest.config';
import { IngestModule } from './ingest.module';

serve({
  name: 'ingest',
  loadConfig: loadIngestConfig,
  module: (config) => IngestModule.forRoot(config),
  port: (config) => config.INGEST_PORT,
  // The gateway enforces MAX_BODY_BYTES on what clients send; re-serialised bodies get headroom here.
  bodyLimitBytes: (config) => config.MAX_BODY_BYTES * 2,
});
