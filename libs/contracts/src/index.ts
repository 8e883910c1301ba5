export * from './errors';
export * from './headers';
export * from './ids';
export * from './api/common.schema';
export * from './api/documents.schema';
export * from './api/search.schema';
export * from './api/admin.schema';
export * from './api/health.schema';
