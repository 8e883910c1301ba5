import { AuditRepository } from '@datafactory/audit';
import { ErasureRepository } from '@datafactory/erasure';
import { jobServiceProvider, JobsRepository } from '@datafactory/jobs';
import { NamespaceSettingsRepository, RetentionRepository } from '@datafactory/governance-data';
import { BasicServiceModule, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { AuditController } from './audit/audit.controller';
import { ErasureController } from './erasure/erasure.controller';
import { GOVERNANCE_CONFIG, GovernanceConfig } from './governance.config';
import { PiiPolicyController } from './policies/pii-policy.controller';
import { RetentionController } from './policies/retention.controller';

/**
 * The governance service: the tamper-evident audit log (listing and chain verification), per-namespace PII
 * policies, GDPR erasure requests with signed certificates, retention policies and legal holds.
 */
@Module({})
export class GovernanceModule {
  static forRoot(config: GovernanceConfig): DynamicModule {
    return {
      module: GovernanceModule,
      imports: [BasicServiceModule.forRoot('governance', config)],
      controllers: [AuditController, PiiPolicyController, ErasureController, RetentionController],
      providers: [
        { provide: GOVERNANCE_CONFIG, useValue: config },
        ...repositoryProviders([AuditRepository, NamespaceSettingsRepository, ErasureRepository, JobsRepository, RetentionRepository]),
        jobServiceProvider(config),
      ],
    };
  }
}
