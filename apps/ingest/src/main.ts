import 'reflect-metadata';
import { prepareEnvironment } from '@datafactory/config';
import { runService, startHttpService } from '@datafactory/service-kit';
import { loadIngestConfig } from './ingest.config';
import { IngestModule } from './ingest.module';

runService('ingest', async () => {
  prepareEnvironment();
  const config = loadIngestConfig();
  await startHttpService(IngestModule.forRoot(config), {
    name: 'ingest',
    port: config.INGEST_PORT,
    host: config.BIND_HOST,
    logLevel: config.LOG_LEVEL,
    // The gateway enforces MAX_BODY_BYTES on what clients send; re-serialised bodies get headroom here.
    bodyLimitBytes: config.MAX_BODY_BYTES * 2,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
});
