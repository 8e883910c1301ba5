import { z } from 'zod';
import { TimestampSchema } from './common.schema';

export const CreateTenantRequestSchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;

export const TenantResponseSchema = z.object({ tenant_id: z.string().uuid(), name: z.string(), created_at: TimestampSchema });
export type TenantResponse = z.infer<typeof TenantResponseSchema>;

export const ApiKeyRoleSchema = z.enum(['reader', 'writer', 'admin']);
export type ApiKeyRole = z.infer<typeof ApiKeyRoleSchema>;

export const CreateApiKeyRequestSchema = z.strictObject({
  role: ApiKeyRoleSchema,
  name: z.string().trim().min(1).max(200).optional(),
});
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequestSchema>;

export const CreateApiKeyResponseSchema = z.object({
  key_id: z.string().uuid(),
  api_key: z.string().describe('Shown once; only a keyed hash is stored'),
  role: ApiKeyRoleSchema,
  name: z.string().nullable(),
  prefix: z.string().describe('First characters of the key, safe to show in UIs and logs'),
  created_at: TimestampSchema,
});
export type CreateApiKeyResponse = z.infer<typeof CreateApiKeyResponseSchema>;

export const RevokeApiKeyResponseSchema = z.object({ key_id: z.string().uuid(), revoked: z.literal(true), revoked_at: TimestampSchema });
export type RevokeApiKeyResponse = z.infer<typeof RevokeApiKeyResponseSchema>;

export const UuidParamSchema = z.string().uuid('must be a UUID');
