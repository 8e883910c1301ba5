import { ApiKeysRepository, IdempotencyRepository, TenantsRepository } from '@datafactory/gateway-data';
import { AuditRepository } from '@datafactory/audit';
import { BasicServiceModule, repositoryProviders } from '@datafactory/service-kit';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AdminController } from './admin/admin.controller';
import { AuditController } from './governance/audit.controller';
import { AuditInterceptor } from './governance/audit.interceptor';
import { GovernanceController } from './governance/governance.controller';
import { CreateTenantUseCase, IssueApiKeyUseCase, RevokeApiKeyUseCase } from './admin/admin.use-cases';
import { ApiKeyCodec } from './auth/api-key.codec';
import { AuthGuard } from './auth/auth.guard';
import { DocumentsController } from './documents/documents.controller';
import { GATEWAY_CONFIG, GatewayConfig } from './gateway.config';
import { GatewayHealthController } from './health/gateway-health.controller';
import { SearchController } from './search/search.controller';
import { IdempotencyInterceptor, IdempotencyPurger } from './idempotency/idempotency.interceptor';
import { JobEventsStream } from './jobs/job-events.stream';
import { JobsController } from './jobs/jobs.controller';
import { UpstreamClients } from './upstream.clients';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [BasicServiceModule.forRoot('gateway', config)],
      controllers: [
        AdminController,
        DocumentsController,
        SearchController,
        JobsController,
        AuditController,
        GovernanceController,
        GatewayHealthController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: ApiKeyCodec, useValue: new ApiKeyCodec(config.API_KEY_PEPPER) },
        { provide: UpstreamClients, useValue: new UpstreamClients(config) },
        ...repositoryProviders([TenantsRepository, ApiKeysRepository, IdempotencyRepository, AuditRepository]),
        { provide: APP_GUARD, useClass: AuthGuard },
        // Outermost first: a replayed idempotent response never reaches the audit interceptor.
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        IdempotencyPurger,
        JobEventsStream,
        CreateTenantUseCase,
        IssueApiKeyUseCase,
        RevokeApiKeyUseCase,
      ],
    };
  }
}
