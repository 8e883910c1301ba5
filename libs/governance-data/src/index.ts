export * from './namespace-settings.repository';
export * from './retention.repository';
