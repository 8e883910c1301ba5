export * from './dotenv';
export * from './load-config';
export * from './schema-fragments';
