import { z } from 'zod';
import { MetadataKeySchema, NamespaceSchema } from './common.schema';

const FilterScalarSchema = z.union([z.string(), z.number(), z.boolean()]);
export const MetadataFilterSchema = z
  .record(MetadataKeySchema, z.union([FilterScalarSchema, z.array(FilterScalarSchema).min(1).max(100)]))
  .refine((f) => Object.keys(f).length <= 20, 'filter may name at most 20 metadata keys')
  .describe('Metadata equality filter: every key must match; an array value matches any of its elements');
export type MetadataFilter = z.infer<typeof MetadataFilterSchema>;

export const SearchModeSchema = z.enum(['hybrid', 'vector', 'keyword']);
export type SearchMode = z.infer<typeof SearchModeSchema>;

export const SearchRequestSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  query: z
    .string()
    .max(4096, 'query must be at most 4096 characters')
    .refine((s) => s.trim().length > 0, 'query must contain at least one non-whitespace character')
    .refine((s) => !s.includes('\u0000'), 'query must not contain NUL (\\u0000) characters'),
  top_k: z
    .number()
    .int('top_k must be an integer')
    .min(1, 'top_k must be between 1 and 100')
    .max(100, 'top_k must be between 1 and 100')
    .default(10),
  mode: SearchModeSchema.default('hybrid'),
  filter: MetadataFilterSchema.optional(),
});
export type SearchRequest = z.infer<typeof SearchRequestSchema>;

export const SearchResultSchema = z.object({
  doc_id: z.string(),
  chunk_id: z.string(),
  score: z.number().describe('vector: cosine similarity; keyword: ts_rank_cd; hybrid: reciprocal rank fusion score'),
  text: z.string(),
  metadata: z.record(z.string(), z.json()),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const SearchResponseSchema = z.object({
  results: z.array(SearchResultSchema),
  total_found: z.number().int().describe('Distinct chunks that matched and were ranked (bounded by the candidate limit)'),
  took_ms: z.number(),
  embedding_version: z.string(),
});
export type SearchResponse = z.infer<typeof SearchResponseSchema>;

export const IndexStatsResponseSchema = z.object({
  namespace: z.string(),
  documents: z.number().int(),
  chunks: z.number().int(),
  deleted: z.number().int().describe('Soft-deleted documents not yet purged'),
  embedding_version: z.string(),
  index: z.object({
    type: z.literal('hnsw'),
    distance: z.literal('cosine'),
    name: z.string(),
    dimensions: z.number().int(),
    valid: z.boolean().describe("The namespace's own HNSW index exists and is in use"),
    serving: z
      .enum(['hnsw', 'exact'])
      .describe(
        'How vector searches of the namespace run: through its index, or exactly (a namespace below VECTOR_INDEX_MIN_CHUNKS live chunks, or one whose index is being built)',
      ),
    size_bytes: z.number().int(),
    iterative_scan: z.string(),
  }),
});
export type IndexStatsResponse = z.infer<typeof IndexStatsResponseSchema>;
