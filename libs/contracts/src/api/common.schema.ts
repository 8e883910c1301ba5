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

/** True when a real NUL character occurs in any key or string value, at any depth. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return !hasNoNul(value);
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => !hasNoNul(k) || containsNul(v));
  return false;
}

/** Keys that JavaScript objects treat specially; refused rather than silently dropped. */
export const MetadataKeySchema = z
  .string()
  .min(1)
  .max(128)
  .refine(hasNoNul, 'metadata keys must not contain NUL')
  .refine((k) => k !== '__proto__', 'the key "__proto__" is not allowed');

export const MetadataSchema = z
  .record(MetadataKeySchema, z.json())
  .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= MAX_METADATA_BYTES, {
    message: `metadata must serialise to at most ${MAX_METADATA_BYTES} bytes of JSON`,
  })
  .refine((m) => !containsNul(m), 'metadata must not contain NUL (\\u0000) characters')
  .describe('Free-form JSON object stored with the document and copied to its chunks for filtering');

export const NamespaceQuerySchema = z.object({ namespace: NamespaceSchema.optional() });
export type NamespaceQuery = z.infer<typeof NamespaceQuerySchema>;

export const TimestampSchema = z.string().describe('RFC 3339 timestamp');
