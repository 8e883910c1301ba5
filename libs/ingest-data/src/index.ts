export * from './documents.repository';
export * from './document-write';
export * from './document-writer';
export * from './vector-index.repository';
export * from './retention-sweep.repository';
export * from './pii-policy.reader';
