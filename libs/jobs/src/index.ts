export * from './job-spec';
export * from './job.service';
export * from './outbox-kick';
