import {
  IndexStatsResponse,
  IndexStatsResponseSchema,
  NamespaceQuery,
  NamespaceQuerySchema,
  SearchRequest,
  SearchRequestSchema,
  SearchResponse,
  SearchResponseSchema,
} from '@datafactory/contracts';
import { ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, RequireRole, TenantPrincipal } from '../auth/auth.context';
import { ApiErrors, ApiJsonBody, ApiJsonResponse } from '../openapi/zod-openapi';
import { IdempotencyExempt } from '../idempotency/idempotency.interceptor';
import { UpstreamClients, withQuery } from '../upstream.clients';

@ApiTags('search')
@ApiBearerAuth()
@Controller('v1')
export class SearchController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Post('search')
  @HttpCode(200)
  @IdempotencyExempt()
  @RequireRole('reader')
  @ApiOperation({ summary: 'Search chunks: hybrid (vector + full-text, reciprocal rank fusion), vector or keyword, with metadata filters' })
  @ApiJsonBody(SearchRequestSchema)
  @ApiJsonResponse(200, SearchResponseSchema, 'ranked chunks')
  @ApiErrors(400, 401, 403, 502, 503)
  async search(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(SearchRequestSchema, 'search request')) body: SearchRequest,
  ): Promise<SearchResponse> {
    return (
      await this.upstream.search.request<SearchResponse>('POST', '/v1/search', {
        tenantId: auth.tenantId,
        apiKeyId: auth.keyId,
        body,
        idempotent: true,
      })
    ).body;
  }

  @Get('index/stats')
  @RequireRole('reader')
  @ApiOperation({ summary: 'Document and chunk counts of a namespace and the vector index in use' })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiJsonResponse(200, IndexStatsResponseSchema, 'statistics')
  @ApiErrors(400, 401, 403)
  async stats(
    @CurrentTenant() auth: TenantPrincipal,
    @Query(new ZodValidationPipe(NamespaceQuerySchema, 'query')) query: NamespaceQuery,
  ): Promise<IndexStatsResponse> {
    return (
      await this.upstream.search.request<IndexStatsResponse>('GET', withQuery('/v1/index/stats', query), {
        tenantId: auth.tenantId,
        apiKeyId: auth.keyId,
      })
    ).body;
  }
}
