import { BatchDocument, JobPriority, QueueName } from '@datafactory/contracts';
import { NewJob } from './job-row';

/** What the erasure handler needs; the raw subject id stays here only until the job has run (the handler removes it). */
export interface ErasureJobParams {
  erasure_id: string;
  subject_id?: string;
}

/** A job to create, one shape per type: the type decides its queue, priority and parameters. */
export type JobSpec =
  | {
      type: 'batch_upsert';
      namespace: string;
      priority: typeof JobPriority.Interactive | typeof JobPriority.Batch;
      documents: BatchDocument[];
    }
  | { type: 'index_rebuild'; namespace: string }
  | { type: 'erasure'; namespace: string; params: ErasureJobParams }
  | { type: 'retention_sweep' };

/** Where the request that creates a job came from. */
export interface JobOrigin {
  /** With `requestHash`: the same key and request return the job created the first time. */
  idempotencyKey?: string;
  requestHash?: string;
  /** The creating request's W3C `traceparent`; the job's spans join its trace. */
  traceparent?: string;
}

/** The job row to insert for a spec; every job gets the same attempt count. */
export function newJob(spec: JobSpec, origin: JobOrigin, maxAttempts: number): NewJob {
  const common = {
    queue: QueueName.Ingest,
    maxAttempts,
    ...(origin.idempotencyKey ? { idempotencyKey: origin.idempotencyKey, requestHash: origin.requestHash ?? '' } : {}),
    ...(origin.traceparent ? { traceContext: origin.traceparent } : {}),
  };
  switch (spec.type) {
    case 'batch_upsert':
      return { ...common, type: spec.type, namespace: spec.namespace, priority: spec.priority, documents: spec.documents };
    case 'index_rebuild':
      return { ...common, type: spec.type, namespace: spec.namespace, priority: JobPriority.Maintenance };
    case 'erasure':
      return { ...common, type: spec.type, namespace: spec.namespace, priority: JobPriority.Interactive, params: { ...spec.params } };
    case 'retention_sweep':
      return { ...common, type: spec.type, namespace: '*', priority: JobPriority.Maintenance };
  }
}
