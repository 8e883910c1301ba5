import 'reflect-metadata';
import { prepareEnvironment } from '@datafactory/config';
import { runService, startHttpService } from '@datafactory/service-kit';
import { loadSearchConfig } from './search.config';
import { SearchModule } from './search.module';

runService('search', async () => {
  prepareEnvironment();
  const config = loadSearchConfig();
  await startHttpService(SearchModule.forRoot(config), {
    name: 'search',
    port: config.SEARCH_PORT,
    host: config.BIND_HOST,
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: 1024 * 1024,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
});
