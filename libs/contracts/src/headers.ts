/** Headers the gateway sets on internal calls; services trust them only with a valid internal token. */
export const InternalHeader = {
  Token: 'x-internal-token',
  TenantId: 'x-tenant-id',
  ApiKeyId: 'x-api-key-id',
  RequestId: 'x-request-id',
  TraceParent: 'traceparent',
} as const;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
