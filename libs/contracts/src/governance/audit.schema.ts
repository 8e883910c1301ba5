import { z } from 'zod';
import { TimestampSchema } from '../api/common.schema';

/** What the audit log records; every mutation of the public API maps to one of these. */
export const AUDIT_ACTIONS = [
  'tenant.create',
  'key.issue',
  'key.revoke',
  'document.upsert',
  'document.delete',
  'batch.submit',
  'index.rebuild',
  'job.cancel',
  'dlq.replay',
  'erasure.request',
  'erasure.complete',
  'retention.change',
  'pii_policy.change',
  'retention.sweep',
  'legal_hold.change',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEventSchema = z.object({
  id: z.number().int().describe('Position in the chain'),
  tenant_id: z.string().uuid().nullable(),
  actor: z.string().describe('`admin`, `key:<key id>` or `system:<component>`'),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string().nullable(),
  request_id: z.string().nullable(),
  trace_id: z.string().nullable(),
  details: z.record(z.string(), z.json()),
  created_at: TimestampSchema,
  hash: z.string().describe("SHA-256 over this event and the previous event's hash"),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const ListAuditQuerySchema = z.strictObject({
  action: z.enum(AUDIT_ACTIONS).optional(),
  since: z.iso.datetime({ offset: true, message: 'since must be an RFC 3339 timestamp, e.g. 2026-01-31T00:00:00Z' }).optional(),
  limit: z.coerce.number().int().min(1, 'limit must be between 1 and 500').max(500, 'limit must be between 1 and 500').default(100),
  cursor: z.string().max(1024).optional(),
});
export type ListAuditQuery = z.infer<typeof ListAuditQuerySchema>;

export const ListAuditResponseSchema = z.object({ items: z.array(AuditEventSchema), next_cursor: z.string().nullable() });
export type ListAuditResponse = z.infer<typeof ListAuditResponseSchema>;

export const AuditVerificationSchema = z.object({
  valid: z.boolean(),
  checked: z.number().int().describe('Events whose hash was recomputed and matched'),
  first_bad_id: z
    .number()
    .int()
    .optional()
    .describe('The first event that does not match (reported to the admin token, or to the tenant it belongs to)'),
});
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;
