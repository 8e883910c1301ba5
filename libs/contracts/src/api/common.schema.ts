import { z } from 'zod';
import { DEFAULT_NAMESPACE } from '../ids';

const NUL = '\u0000';
const hasNoNul = (s: string) => !s.includes(NUL);

export const NamespaceSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    'namespace must be 1-128 characters: letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  )
  .describe(`Namespace inside the tenant; defaults to "${DEFAULT_NAMESPACE}"`);

export const DocIdSchema = z
  .string()
  .min(1, 'doc_id must not be empty')
  .max(512, 'doc_id must be at most 512 characters')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'doc_id must not contain control characters')
  .describe('Your identifier of the document, unique within the namespace');

export const NonEmptyTextSchema = z
  .string()
  .refine((s) => s.trim().length > 0, 'must contain at least one non-whitespace character')
  .refine(hasNoNul, 'must not contain NUL (\\u0000) characters');

const MAX_METADATA_BYTES = 32 * 1024;

export const MetadataSchema = z
  .record(z.string().min(1).max(128).refine(hasNoNul, 'metadata keys must not contain NUL'), z.json())
  .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= MAX_METADATA_BYTES, {
    message: `metadata must serialise to at most ${MAX_METADATA_BYTES} bytes of JSON`,
  })
  .refine((m) => !JSON.stringify(m).includes('\\u0000'), 'metadata must not contain NUL (\\u0000) characters')
  .describe('Free-form JSON object stored with the document and copied to its chunks for filtering');

export const NamespaceQuerySchema = z.object({ namespace: NamespaceSchema.optional() });
export type NamespaceQuery = z.infer<typeof NamespaceQuerySchema>;

export const TimestampSchema = z.string().describe('RFC 3339 timestamp');
