import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { activeSpanIds, activeTraceparent } from '@datafactory/telemetry/tracing';

export interface RequestContext {
  requestId: string;
  traceId: string;
  /** This service's span for the request; sent as the parent on outgoing calls. */
  spanId: string;
  /** The authenticated tenant, once known (set by the auth guards; used in logs). */
  tenantId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Accepts a caller's request id when it is sane, otherwise mints one. */
export function requestIdFrom(header: string | undefined): string {
  return header && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * The trace ids of a unit of work (a request, a job attempt). With tracing on, the active OpenTelemetry span's:
 * the instrumentation (or the job's consumer span) has already continued `traceparent`. Off, our own W3C ids:
 * continue the caller's trace when its `traceparent` is valid, else start one.
 */
export function traceFrom(traceparent: string | undefined): { traceId: string; spanId: string } {
  const active = activeSpanIds();
  if (active) return active;
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  // The spec makes all-zero trace and parent ids invalid: such a header starts a new trace.
  const valid = match && match[1] !== '0'.repeat(32) && match[2] !== '0'.repeat(16);
  const traceId = valid ? (match[1] as string) : randomBytes(16).toString('hex');
  return { traceId, spanId: randomBytes(8).toString('hex') };
}

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function traceparentOf(ctx: RequestContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-01`;
}

/**
 * The `traceparent` to store with work that continues later (a job row, a queue message): the active span when
 * tracing is on, else this request's own ids; undefined outside a request.
 */
export function currentTraceparent(): string | undefined {
  const active = activeTraceparent();
  if (active) return active;
  const ctx = storage.getStore();
  return ctx && traceparentOf(ctx);
}

/** The fields of the current request that every log line carries. */
export function logContext(): Record<string, string | undefined> | undefined {
  const ctx = storage.getStore();
  return ctx && { request_id: ctx.requestId, trace_id: ctx.traceId, span_id: ctx.spanId, tenant_id: ctx.tenantId };
}
