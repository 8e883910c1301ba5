export * from './tenants.repository';
export * from './api-keys.repository';
export * from './idempotency.repository';
