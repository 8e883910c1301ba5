export * from './queues';
export * from './redis-connections';
export * from './retry-policy';
export * from './job-events.notifier';
