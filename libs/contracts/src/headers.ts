/** Headers the gateway sets on internal calls; services trust them only with a valid internal token. */
export const InternalHeader = {
  Token: 'x-internal-token',
  TenantId: 'x-tenant-id',
  ApiKeyId: 'x-api-key-id',
  RequestId: 'x-request-id',
  TraceParent: 'traceparent',
  /** `admin` when the gateway authenticated the operator's admin token (no tenant). */
  Scope: 'x-scope',
  IdempotencyKey: 'idempotency-key',
  RequestHash: 'x-request-hash',
} as const;
