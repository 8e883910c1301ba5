import { AuditRepository, NamespaceSettingsRepository } from '@datafactory/db';
import { BasicServiceModule, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { AuditController } from './audit/audit.controller';
import { GovernanceConfig } from './governance.config';
import { PiiPolicyController } from './policies/pii-policy.controller';

/**
 * The governance service: the tamper-evident audit log (listing and chain verification) and per-namespace
 * PII policies so far; erasure and retention arrive with the rest of the governance issue.
 */
@Module({})
export class GovernanceModule {
  static forRoot(config: GovernanceConfig): DynamicModule {
    return {
      module: GovernanceModule,
      imports: [BasicServiceModule.forRoot('governance', config)],
      controllers: [AuditController, PiiPolicyController],
      providers: [...repositoryProviders([AuditRepository, NamespaceSettingsRepository])],
    };
  }
}
