export * from './erasure.repository';
