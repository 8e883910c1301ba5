import { z } from 'zod';
import { DocIdSchema, NamespaceSchema, TimestampSchema } from '../api/common.schema';

export const ErasureScopeSchema = z.enum(['document', 'subject', 'namespace', 'tenant']);
export type ErasureScope = z.infer<typeof ErasureScopeSchema>;

export const EraseRequestSchema = z
  .strictObject({
    scope: ErasureScopeSchema,
    namespace: NamespaceSchema.optional().describe('document and namespace scopes; default "default"'),
    doc_id: DocIdSchema.optional(),
    subject_id: z.string().min(1).max(256).optional(),
    dry_run: z.boolean().default(false).describe('Report what would be erased, erase nothing'),
  })
  .superRefine((r, ctx) => {
    if (r.scope === 'document' && !r.doc_id)
      ctx.addIssue({ code: 'custom', path: ['doc_id'], message: 'is required for scope "document"' });
    if (r.scope === 'subject' && !r.subject_id)
      ctx.addIssue({ code: 'custom', path: ['subject_id'], message: 'is required for scope "subject"' });
    if (r.scope !== 'document' && r.doc_id)
      ctx.addIssue({ code: 'custom', path: ['doc_id'], message: 'is only allowed for scope "document"' });
    if (r.scope !== 'subject' && r.subject_id)
      ctx.addIssue({ code: 'custom', path: ['subject_id'], message: 'is only allowed for scope "subject"' });
    if ((r.scope === 'subject' || r.scope === 'tenant') && r.namespace) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: `is not allowed for scope "${r.scope}", which covers every namespace` });
    }
  });
export type EraseRequest = z.infer<typeof EraseRequestSchema>;

export const ErasureAcceptedSchema = z.object({ erasure_id: z.string().uuid(), job_id: z.string().uuid() });
export type ErasureAccepted = z.infer<typeof ErasureAcceptedSchema>;

export const ErasureStoreReportSchema = z.object({
  store: z.string().describe('Where the system keeps data: a Postgres table, or a Redis key space'),
  before: z.number().int(),
  after: z.number().int(),
  removed: z.number().int(),
});

export const ErasureCertificateSchema = z.object({
  erasure_id: z.string().uuid(),
  tenant_id: z.string().uuid(),
  scope: ErasureScopeSchema,
  target: z.object({ namespace: z.string().nullable(), doc_id: z.string().nullable(), subject_hash: z.string().nullable() }),
  dry_run: z.boolean(),
  requested_at: TimestampSchema,
  completed_at: TimestampSchema,
  documents: z.number().int().describe('Documents in scope'),
  stores: z.array(ErasureStoreReportSchema),
  verification: z.array(z.object({ check: z.string(), query: z.string(), result: z.number().int() })),
  signature: z.object({
    alg: z.literal('HMAC-SHA256'),
    value: z.string().describe('hex HMAC over the certificate without its signature (canonical JSON, sorted keys)'),
  }),
});
export type ErasureCertificate = z.infer<typeof ErasureCertificateSchema>;

export const ErasureResponseSchema = z.object({
  erasure_id: z.string().uuid(),
  job_id: z.string().uuid().nullable(),
  scope: ErasureScopeSchema,
  status: z.enum(['pending', 'running', 'completed', 'failed']),
  dry_run: z.boolean(),
  requested_at: TimestampSchema,
  completed_at: TimestampSchema.nullable(),
  certificate: ErasureCertificateSchema.nullable(),
});
export type ErasureResponse = z.infer<typeof ErasureResponseSchema>;
