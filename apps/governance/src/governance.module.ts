import { AuditRepository } from '@datafactory/db';
import { BasicServiceModule, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { AuditController } from './audit/audit.controller';
import { GovernanceConfig } from './governance.config';

/**
 * The governance service: the tamper-evident audit log (listing and chain verification) so far; erasure,
 * retention and PII policies arrive with the rest of the governance issue (see docs/architecture.md).
 */
@Module({})
export class GovernanceModule {
  static forRoot(config: GovernanceConfig): DynamicModule {
    return {
      module: GovernanceModule,
      imports: [BasicServiceModule.forRoot('governance', config)],
      controllers: [AuditController],
      providers: [...repositoryProviders([AuditRepository])],
    };
  }
}
