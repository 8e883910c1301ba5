/**
 * A tenant id that has been authenticated. Repository methods take this type, so a query that forgot
 * the tenant does not compile; only the auth layer (and tests) mint it with {@link asTenantId}.
 */
export type TenantId = string & { readonly __brand: 'TenantId' };

export function asTenantId(id: string): TenantId {
  return id as TenantId;
}

export const DEFAULT_NAMESPACE = 'default';
