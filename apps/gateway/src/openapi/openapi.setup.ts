import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI document generated from the controllers and the contracts' schemas; UI at /docs, JSON at /docs/openapi.json. */
export function setupOpenApi(app: NestExpressApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('DataFactory API')
    .setDescription(
      'Multi-tenant ingest, index and retrieval for RAG. Tenant API keys (`Authorization: Bearer df_...`) call everything ' +
        "under /v1 except /v1/admin, which needs the operator's ADMIN_TOKEN. Errors always have the shape " +
        '`{"error": {"code", "message", "details"?, "request_id", "trace_id"?}}`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'tenant API key, or ADMIN_TOKEN for /v1/admin' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', customSiteTitle: 'DataFactory API' });
}
