export * from './jobs.repository';
export * from './job-items.repository';
export * from './job-lease';
export * from './outbox.repository';
export * from './dead-letters.repository';
export * from './job-spec';
export * from './job.service';
export * from './outbox-kick';
