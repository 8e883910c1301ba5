import './instrument';
import 'reflect-metadata';
import { serve } from '@datafactory/service-kit';
import { loadGovernanceConfig } from './governance.config';
import { GovernanceModule } from './governance.module';

serve({
  name: 'governance',
  loadConfig: loadGovernanceConfig,
  module: (config) => GovernanceModule.forRoot(config),
  port: (config) => config.GOVERNANCE_PORT,
});
