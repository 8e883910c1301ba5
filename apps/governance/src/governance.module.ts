import { DynamicModule, Module } from '@nestjs/common';
import { BasicServiceModule } from '@datafactory/service-kit';
import { GovernanceConfig } from './governance.config';

/**
 * The governance service: so far its process, configuration and health (Postgres, Redis);
 * its features arrive with their issues (see docs/architecture.md).
 */
@Module({})
export class GovernanceModule {
  static forRoot(config: GovernanceConfig): DynamicModule {
    return { module: GovernanceModule, imports: [BasicServiceModule.forRoot('governance', config)] };
  }
}
