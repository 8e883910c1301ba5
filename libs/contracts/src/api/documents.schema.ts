import { z } from 'zod';
import { DocIdSchema, MetadataSchema, NamespaceSchema, NonEmptyTextSchema, TimestampSchema } from './common.schema';

export const UpsertDocumentRequestSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  doc_id: DocIdSchema,
  text: NonEmptyTextSchema.describe('Plain text (Markdown headings are used as chunk boundaries)'),
  title: z.string().max(1000, 'title must be at most 1000 characters').optional(),
  metadata: MetadataSchema.optional(),
  subject_ids: z
    .array(z.string().min(1).max(256))
    .max(100, 'at most 100 subject_ids')
    .optional()
    .describe('Data subjects the document is about (used by GDPR erasure)'),
});
export type UpsertDocumentRequest = z.infer<typeof UpsertDocumentRequestSchema>;

export const UpsertStatusSchema = z.enum(['created', 'updated', 'unchanged']);
export type UpsertStatus = z.infer<typeof UpsertStatusSchema>;

export const UpsertDocumentResponseSchema = z.object({
  doc_id: z.string(),
  namespace: z.string(),
  status: UpsertStatusSchema,
  doc_hash: z.string().describe('SHA-256 (hex) of the text'),
  chunks: z.number().int(),
  embedding_version: z.string(),
  pii_counts: z
    .record(z.string(), z.number().int())
    .describe("PII found per type under the namespace's policy (redacted when the policy is redact); {} when off"),
});
export type UpsertDocumentResponse = z.infer<typeof UpsertDocumentResponseSchema>;

export const DocumentSummarySchema = z.object({
  doc_id: z.string(),
  namespace: z.string(),
  title: z.string().nullable(),
  metadata: z.record(z.string(), z.json()),
  subject_ids: z.array(z.string()),
  status: z.enum(['active', 'deleted']),
  doc_hash: z.string(),
  chunks: z.number().int(),
  tokens: z.number().int(),
  embedding_version: z.string(),
  version: z.number().int().describe('Incremented on every change of the document'),
  pii_counts: z.record(z.string(), z.number().int()).describe('PII redacted from the stored text, per type'),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
});
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

export const DocumentResponseSchema = DocumentSummarySchema.extend({
  text: z.string(),
  chunk_hashes: z.array(z.string()).describe('SHA-256 (hex) of each chunk, in order'),
});
export type DocumentResponse = z.infer<typeof DocumentResponseSchema>;

export const ListDocumentsQuerySchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  limit: z.coerce.number().int().min(1, 'limit must be between 1 and 100').max(100, 'limit must be between 1 and 100').default(20),
  cursor: z.string().max(1024).optional(),
});
export type ListDocumentsQuery = z.infer<typeof ListDocumentsQuerySchema>;

export const ListDocumentsResponseSchema = z.object({
  items: z.array(DocumentSummarySchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
});
export type ListDocumentsResponse = z.infer<typeof ListDocumentsResponseSchema>;

export const DeleteDocumentResponseSchema = z.object({ doc_id: z.string(), deleted: z.literal(true) });
export type DeleteDocumentResponse = z.infer<typeof DeleteDocumentResponseSchema>;
