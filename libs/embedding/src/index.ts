export * from './embedding-provider';
export * from './embedding.settings';
export * from './embedding.errors';
export * from './l2-normalize';
export * from './hash-embedding.provider';
export * from './openai-embedding.provider';
export * from './create-embedding-provider';
