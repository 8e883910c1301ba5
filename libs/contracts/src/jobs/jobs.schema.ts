import { z } from 'zod';
import { DocIdSchema, MetadataSchema, NamespaceSchema, NonEmptyTextSchema, TimestampSchema } from '../api/common.schema';
import { JOB_EVENT_TYPES, JOB_STATUSES, JOB_TYPES } from './job-state';

export const BatchDocumentSchema = z.strictObject({
  doc_id: DocIdSchema,
  text: NonEmptyTextSchema,
  title: z.string().max(1000, 'title must be at most 1000 characters').optional(),
  metadata: MetadataSchema.optional(),
  subject_ids: z.array(z.string().min(1).max(256)).max(100, 'at most 100 subject_ids').optional(),
});
export type BatchDocument = z.infer<typeof BatchDocumentSchema>;

/** The per-request limit (default 1000) is configuration and checked by the job-orchestrator. */
export const BatchUpsertRequestSchema = z.strictObject({
  namespace: NamespaceSchema.optional(),
  documents: z.array(BatchDocumentSchema).min(1, 'documents must contain at least one document'),
});
export type BatchUpsertRequest = z.infer<typeof BatchUpsertRequestSchema>;

export const RebuildIndexRequestSchema = z.strictObject({ namespace: NamespaceSchema.optional() });
export type RebuildIndexRequest = z.infer<typeof RebuildIndexRequestSchema>;

export const JobStatusSchema = z.enum(JOB_STATUSES);
export const JobTypeSchema = z.enum(JOB_TYPES);

export const JobAcceptedResponseSchema = z.object({ job_id: z.string().uuid(), status: JobStatusSchema });
export type JobAcceptedResponse = z.infer<typeof JobAcceptedResponseSchema>;

export const JobCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
});
export type JobCounts = z.infer<typeof JobCountsSchema>;

export const JobFailureSchema = z.object({ doc_id: z.string(), code: z.string(), message: z.string() });
export type JobFailure = z.infer<typeof JobFailureSchema>;

export const JobErrorSchema = z.object({ code: z.string(), message: z.string(), class: z.string().optional() });
export type JobError = z.infer<typeof JobErrorSchema>;

export const JobResponseSchema = z.object({
  job_id: z.string().uuid(),
  type: JobTypeSchema,
  status: JobStatusSchema,
  namespace: z.string(),
  progress: z.number().int().min(0).max(100),
  total: z.number().int(),
  processed: z.number().int(),
  counts: JobCountsSchema,
  result: z.object({ counts: JobCountsSchema, failures: z.array(JobFailureSchema) }).nullable(),
  error: JobErrorSchema.nullable(),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  cancel_requested: z.boolean(),
  created_at: TimestampSchema,
  started_at: TimestampSchema.nullable(),
  finished_at: TimestampSchema.nullable(),
});
export type JobResponse = z.infer<typeof JobResponseSchema>;

export const ListJobsQuerySchema = z.strictObject({
  status: JobStatusSchema.optional(),
  type: JobTypeSchema.optional(),
  limit: z.coerce.number().int().min(1, 'limit must be between 1 and 100').max(100, 'limit must be between 1 and 100').default(20),
  cursor: z.string().max(1024).optional(),
});
export type ListJobsQuery = z.infer<typeof ListJobsQuerySchema>;

export const ListJobsResponseSchema = z.object({ items: z.array(JobResponseSchema), next_cursor: z.string().nullable() });
export type ListJobsResponse = z.infer<typeof ListJobsResponseSchema>;

export const JobEventSchema = z.object({
  id: z.number().int().describe('Per-job sequence number; send as Last-Event-ID to resume'),
  job_id: z.string().uuid(),
  type: z.enum(JOB_EVENT_TYPES),
  data: z.record(z.string(), z.json()),
  created_at: TimestampSchema,
});
export type JobEvent = z.infer<typeof JobEventSchema>;

export const JobEventsResponseSchema = z.object({
  items: z.array(JobEventSchema),
  status: JobStatusSchema.describe('The job status now: a stream with no new events ends once this is terminal'),
});
export type JobEventsResponse = z.infer<typeof JobEventsResponseSchema>;

export const QueueStatsSchema = z.object({
  queue: z.string(),
  waiting: z.number().int(),
  active: z.number().int(),
  delayed: z.number().int(),
  failed: z.number().int(),
  dead_lettered: z.number().int(),
  oldest_waiting_age_seconds: z.number().nullable(),
});
export const QueueStatsResponseSchema = z.object({ queues: z.array(QueueStatsSchema) });
export type QueueStatsResponse = z.infer<typeof QueueStatsResponseSchema>;

export const DeadLetterSchema = z.object({
  job_id: z.string().uuid(),
  tenant_id: z.string().uuid(),
  type: JobTypeSchema,
  namespace: z.string(),
  queue: z.string(),
  error: JobErrorSchema,
  attempts: z.number().int(),
  dead_lettered_at: TimestampSchema,
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const ListDeadLettersQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1, 'limit must be between 1 and 100').max(100, 'limit must be between 1 and 100').default(20),
  cursor: z.string().max(1024).optional(),
});
export type ListDeadLettersQuery = z.infer<typeof ListDeadLettersQuerySchema>;

export const ListDeadLettersResponseSchema = z.object({ items: z.array(DeadLetterSchema), next_cursor: z.string().nullable() });
export type ListDeadLettersResponse = z.infer<typeof ListDeadLettersResponseSchema>;
