export * from './metrics';
export * from './metrics.module';
export * from './logger';
export * from './version';
