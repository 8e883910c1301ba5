import { z } from 'zod';
import { DocIdSchema, NamespaceSchema, TimestampSchema } from '../api/common.schema';

const Days = z.number().int('must be a whole number of days').min(0, 'must be 0 or more days').max(36_500, 'must be at most 36500 days');

export const RetentionPolicySchema = z.object({
  namespace: z.string().describe('"*" is the tenant default for namespaces without their own policy'),
  max_age_days: z.number().int().describe('Documents not updated for this long are deleted by the sweep'),
  deleted_grace_days: z.number().int().describe('Soft-deleted documents are purged this long after deletion'),
  updated_at: TimestampSchema.nullable(),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

export const RetentionResponseSchema = z.object({
  system_default: z.object({ max_age_days: z.number().int(), deleted_grace_days: z.number().int() }),
  policies: z.array(RetentionPolicySchema),
});
export type RetentionResponse = z.infer<typeof RetentionResponseSchema>;

export const SetRetentionRequestSchema = z.strictObject({
  namespace: z
    .union([NamespaceSchema, z.literal('*')])
    .default('*')
    .describe('A namespace, or "*" (default) for the tenant default'),
  max_age_days: Days,
  deleted_grace_days: Days.optional(),
});
export type SetRetentionRequest = z.infer<typeof SetRetentionRequestSchema>;

export const RetentionPreviewSchema = z.object({
  expired_documents: z.number().int(),
  soft_deleted_to_purge: z.number().int(),
  on_legal_hold: z.number().int(),
  sample: z
    .array(z.object({ namespace: z.string(), doc_id: z.string(), reason: z.string() }))
    .describe('Up to 100 documents the next sweep removes'),
});
export type RetentionPreview = z.infer<typeof RetentionPreviewSchema>;

export const LegalHoldRequestSchema = z.strictObject({ namespace: NamespaceSchema.optional(), doc_id: DocIdSchema, hold: z.boolean() });
export type LegalHoldRequest = z.infer<typeof LegalHoldRequestSchema>;

export const LegalHoldResponseSchema = z.object({ namespace: z.string(), doc_id: z.string(), legal_hold: z.boolean() });
export type LegalHoldResponse = z.infer<typeof LegalHoldResponseSchema>;
