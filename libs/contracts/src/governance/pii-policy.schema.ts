import { z } from 'zod';
import { NamespaceSchema, TimestampSchema } from '../api/common.schema';

export const PiiPolicySchema = z
  .enum(['off', 'redact', 'reject'])
  .describe(
    'off: store as sent; redact: replace detected PII with typed placeholders such as [EMAIL]; reject: refuse documents that contain PII (422 pii_detected)',
  );
export type PiiPolicyValue = z.infer<typeof PiiPolicySchema>;

export const SetPiiPolicyRequestSchema = z.strictObject({ namespace: NamespaceSchema.optional(), policy: PiiPolicySchema });
export type SetPiiPolicyRequest = z.infer<typeof SetPiiPolicyRequestSchema>;

export const PiiPolicyResponseSchema = z.object({
  namespace: z.string(),
  policy: PiiPolicySchema,
  updated_at: TimestampSchema.nullable(),
  previous: PiiPolicySchema.optional().describe('On a change: the policy before it'),
});
export type PiiPolicyResponse = z.infer<typeof PiiPolicyResponseSchema>;

/** Detected PII per type (EMAIL, PHONE, CARD, IBAN, IP, SSN, DOB, SECRET, ADDRESS); never the values. */
export const PiiCountsSchema = z.record(z.string(), z.number().int());
export type PiiCounts = z.infer<typeof PiiCountsSchema>;
