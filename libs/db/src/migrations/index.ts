import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { DurableJobs1763910000000 } from './1763910000000-durable-jobs';
import { AuditLog1763920000000 } from './1763920000000-audit-log';
import { NamespaceSettings1763930000000 } from './1763930000000-namespace-settings';
import { Erasure1763940000000 } from './1763940000000-erasure';
import { Retention1763950000000 } from './1763950000000-retention';
import { ScopedFullTextIndex1763960000000 } from './1763960000000-scoped-full-text-index';
import { JobStatusTransitions1763970000000 } from './1763970000000-job-status-transitions';

/** Every migration, oldest first. A new migration is added here and nowhere else. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  DurableJobs1763910000000,
  AuditLog1763920000000,
  NamespaceSettings1763930000000,
  Erasure1763940000000,
  Retention1763950000000,
  ScopedFullTextIndex1763960000000,
  JobStatusTransitions1763970000000,
];
