import {
  DeleteDocumentResponse,
  DeleteDocumentResponseSchema,
  DocIdSchema,
  DocumentResponse,
  DocumentResponseSchema,
  ListDocumentsQuery,
  ListDocumentsQuerySchema,
  ListDocumentsResponse,
  ListDocumentsResponseSchema,
  NamespaceQuery,
  NamespaceQuerySchema,
  UpsertDocumentRequest,
  UpsertDocumentRequestSchema,
  UpsertDocumentResponse,
  UpsertDocumentResponseSchema,
} from '@datafactory/contracts';
import { ZodValidationPipe } from '@datafactory/service-kit';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, RequireRole, TenantPrincipal } from '../auth/auth.context';
import { Audited } from '../governance/audit.interceptor';
import { ApiErrors, ApiIdempotent, ApiJsonBody, ApiJsonResponse } from '../openapi/zod-openapi';
import { UpstreamClients, withQuery } from '../upstream.clients';

const docIdPipe = new ZodValidationPipe(DocIdSchema, 'doc_id');
const namespacePipe = new ZodValidationPipe(NamespaceQuerySchema, 'query');

/** Validates at the edge, then forwards to the ingest service, which owns documents. */
@ApiTags('documents')
@ApiBearerAuth()
@Controller('v1/docs')
export class DocumentsController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Post('upsert')
  @HttpCode(200)
  @Audited('document.upsert', (_req, res: UpsertDocumentResponse) => ({
    target: `${res.namespace}/${res.doc_id}`,
    details: { status: res.status, doc_hash: res.doc_hash, chunks: res.chunks },
  }))
  @ApiIdempotent()
  @RequireRole('writer')
  @ApiOperation({ summary: 'Create or replace a document; the same text again is a no-op ("unchanged")' })
  @ApiJsonBody(UpsertDocumentRequestSchema)
  @ApiJsonResponse(200, UpsertDocumentResponseSchema, 'stored')
  @ApiErrors(400, 401, 403, 413, 502, 503)
  async upsert(
    @CurrentTenant() auth: TenantPrincipal,
    @Body(new ZodValidationPipe(UpsertDocumentRequestSchema, 'document')) body: UpsertDocumentRequest,
  ): Promise<UpsertDocumentResponse> {
    const res = await this.upstream.ingest.request<UpsertDocumentResponse>('POST', '/v1/docs/upsert', {
      tenantId: auth.tenantId,
      apiKeyId: auth.keyId,
      body,
    });
    return res.body;
  }

  @Get()
  @RequireRole('reader')
  @ApiOperation({ summary: 'List documents of a namespace (keyset pagination)' })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1-100, default 20' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiJsonResponse(200, ListDocumentsResponseSchema, 'one page')
  @ApiErrors(400, 401, 403)
  async list(
    @CurrentTenant() auth: TenantPrincipal,
    @Query(new ZodValidationPipe(ListDocumentsQuerySchema, 'query')) query: ListDocumentsQuery,
  ): Promise<ListDocumentsResponse> {
    const res = await this.upstream.ingest.request<ListDocumentsResponse>('GET', withQuery('/v1/docs', query), {
      tenantId: auth.tenantId,
      apiKeyId: auth.keyId,
    });
    return res.body;
  }

  @Get(':docId')
  @RequireRole('reader')
  @ApiOperation({ summary: 'Get one document with its text, metadata, status and hashes' })
  @ApiParam({ name: 'docId', description: 'URL-encoded doc_id' })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiJsonResponse(200, DocumentResponseSchema, 'the document')
  @ApiErrors(400, 401, 403, 404)
  async get(
    @CurrentTenant() auth: TenantPrincipal,
    @Param('docId', docIdPipe) docId: string,
    @Query(namespacePipe) query: NamespaceQuery,
  ): Promise<DocumentResponse> {
    const path = withQuery(`/v1/docs/${encodeURIComponent(docId)}`, query);
    return (await this.upstream.ingest.request<DocumentResponse>('GET', path, { tenantId: auth.tenantId, apiKeyId: auth.keyId })).body;
  }

  @Delete(':docId')
  @Audited('document.delete', (req) => ({ target: `${String(req.query['namespace'] ?? 'default')}/${String(req.params['docId'])}` }))
  @ApiIdempotent()
  @RequireRole('writer')
  @ApiOperation({ summary: 'Soft-delete a document: gone from search, GET and list at once' })
  @ApiParam({ name: 'docId', description: 'URL-encoded doc_id' })
  @ApiQuery({ name: 'namespace', required: false })
  @ApiJsonResponse(200, DeleteDocumentResponseSchema, 'deleted')
  @ApiErrors(400, 401, 403, 404)
  async remove(
    @CurrentTenant() auth: TenantPrincipal,
    @Param('docId', docIdPipe) docId: string,
    @Query(namespacePipe) query: NamespaceQuery,
  ): Promise<DeleteDocumentResponse> {
    const path = withQuery(`/v1/docs/${encodeURIComponent(docId)}`, query);
    return (await this.upstream.ingest.request<DeleteDocumentResponse>('DELETE', path, { tenantId: auth.tenantId, apiKeyId: auth.keyId }))
      .body;
  }
}
