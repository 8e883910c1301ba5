import './instrument';
import 'reflect-metadata';
import { serve } from '@datafactory/service-kit';
import { loadSearchConfig } from './search.config';
import { SearchModule } from './search.module';

serve({
  name: 'search',
  loadConfig: loadSearchConfig,
  module: (config) => SearchModule.forRoot(config),
  port: (config) => config.SEARCH_PORT,
});
