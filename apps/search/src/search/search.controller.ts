import {
  IndexStatsResponse,
  NamespaceQuery,
  NamespaceQuerySchema,
  SearchRequest,
  SearchRequestSchema,
  SearchResponse,
  TenantId,
} from '@datafactory/contracts';
import { InternalAuthGuard, Tenant, ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { IndexStatsUseCase } from './index-stats.use-case';
import { SearchUseCase } from './search.use-case';

@Controller('v1')
@UseGuards(InternalAuthGuard)
export class SearchController {
  constructor(
    private readonly searchUseCase: SearchUseCase,
    private readonly indexStats: IndexStatsUseCase,
  ) {}

  @Post('search')
  @HttpCode(200)
  search(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(SearchRequestSchema, 'search request')) body: SearchRequest,
  ): Promise<SearchResponse> {
    return this.searchUseCase.execute(tenantId, body);
  }

  @Get('index/stats')
  stats(
    @Tenant() tenantId: TenantId,
    @Query(new ZodValidationPipe(NamespaceQuerySchema, 'query')) query: NamespaceQuery,
  ): Promise<IndexStatsResponse> {
    return this.indexStats.execute(tenantId, query.namespace);
  }
}
