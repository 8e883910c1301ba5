export * from './search.repository';
export * from './index-stats.repository';
