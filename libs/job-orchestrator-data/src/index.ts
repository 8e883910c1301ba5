export * from './tenant-directory.repository';
