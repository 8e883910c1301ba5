export * from './stack';
export * from './test-database';
export * from './local-postgres';
export * from './local-redis';
export * from './otlp-receiver';
export * from './integration-db';
