import {
  DEFAULT_NAMESPACE,
  DeleteDocumentResponse,
  DocIdSchema,
  DocumentResponse,
  ErrorCode,
  AppError,
  ListDocumentsQuery,
  ListDocumentsQuerySchema,
  ListDocumentsResponse,
  NamespaceQuery,
  NamespaceQuerySchema,
  TenantId,
  UpsertDocumentRequest,
  UpsertDocumentRequestSchema,
  UpsertDocumentResponse,
} from '@datafactory/contracts';
import { DocumentsRepository } from '@datafactory/ingest-data';
import { InternalAuthGuard, Tenant, ZodValidationPipe, decodeCursor, keysetPage } from '@datafactory/service-kit';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { toDocumentResponse, toDocumentSummary } from './document.mapper';
import { UpsertDocumentUseCase } from './upsert-document.use-case';
import { VectorIndexer } from './vector-indexer';

/** Internal document API; the gateway authenticates and forwards. */
@Controller('v1/docs')
@UseGuards(InternalAuthGuard)
export class DocumentsController {
  constructor(
    private readonly upsertDocument: UpsertDocumentUseCase,
    private readonly documents: DocumentsRepository,
    private readonly vectorIndexer: VectorIndexer,
  ) {}

  @Post('upsert')
  @HttpCode(200)
  async upsert(
    @Tenant() tenantId: TenantId,
    @Body(new ZodValidationPipe(UpsertDocumentRequestSchema, 'document')) body: UpsertDocumentRequest,
  ): Promise<UpsertDocumentResponse> {
    const response = await this.upsertDocument.execute(tenantId, body);
    if (response.status !== 'unchanged') this.vectorIndexer.ensureSoon(tenantId, body.namespace ?? DEFAULT_NAMESPACE);
    return response;
  }

  @Get()
  async list(
    @Tenant() tenantId: TenantId,
    @Query(new ZodValidationPipe(ListDocumentsQuerySchema, 'query')) query: ListDocumentsQuery,
  ): Promise<ListDocumentsResponse> {
    const rows = await this.documents.list(
      tenantId,
      query.namespace ?? DEFAULT_NAMESPACE,
      query.limit,
      decodeCursor(query.cursor, ['after'])?.after ?? null,
    );
    const { page, nextCursor } = keysetPage(rows, query.limit, (last) => ({ after: last.docId }));
    return { items: page.map(toDocumentSummary), next_cursor: nextCursor };
  }

  @Get(':docId')
  async get(
    @Tenant() tenantId: TenantId,
    @Param('docId', new ZodValidationPipe(DocIdSchema, 'doc_id')) docId: string,
    @Query(new ZodValidationPipe(NamespaceQuerySchema, 'query')) query: NamespaceQuery,
  ): Promise<DocumentResponse> {
    const namespace = query.namespace ?? DEFAULT_NAMESPACE;
    const doc = await this.documents.get(tenantId, namespace, docId);
    if (!doc) throw notFound(docId, namespace);
    return toDocumentResponse(doc);
  }

  @Delete(':docId')
  async remove(
    @Tenant() tenantId: TenantId,
    @Param('docId', new ZodValidationPipe(DocIdSchema, 'doc_id')) docId: string,
    @Query(new ZodValidationPipe(NamespaceQuerySchema, 'query')) query: NamespaceQuery,
  ): Promise<DeleteDocumentResponse> {
    const namespace = query.namespace ?? DEFAULT_NAMESPACE;
    if (!(await this.documents.softDelete(tenantId, namespace, docId))) throw notFound(docId, namespace);
    return { doc_id: docId, deleted: true };
  }
}

function notFound(docId: string, namespace: string): AppError {
  return new AppError(ErrorCode.DocumentNotFound, `no document "${docId}" in namespace "${namespace}"`);
}
