/**
 * OpenTelemetry tracing. Kept apart from the rest of the library (imported as `@datafactory/telemetry/tracing`)
 * because it must run before anything it instruments is loaded: each app's `instrument.ts` is the first import
 * of its `main.ts`, ahead of Nest, express, pg and ioredis.
 *
 * Off unless an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or `..._TRACES_ENDPOINT`); every other
 * knob is the standard `OTEL_*` variable the SDK reads itself (protocol, headers, sampler, resource attributes).
 */
import {
  Context,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  Tracer,
  context,
  isSpanContextValid,
  propagation,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, BatchSpanProcessorOptions, Span as SdkSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { SERVICE_VERSION } from './version';

const TRACER_NAME = 'datafactory';

/** Paths polled by probes and Prometheus: a span per poll would bury the requests people look for. */
const UNTRACED_PATHS = ['/health/live', '/health/ready', '/metrics'];

let sdk: NodeSDK | undefined;

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env['OTEL_SDK_DISABLED'] ?? '').toLowerCase() === 'true') return false;
  if (
    (env['OTEL_TRACES_EXPORTER'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes('none')
  )
    return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/**
 * Starts the SDK for one app (service name `datafactory-<app>` unless `OTEL_SERVICE_NAME` says otherwise).
 * Returns whether tracing is on. When it is off no instrumentation is registered and the span helpers below are
 * no-ops (the OpenTelemetry API's default tracer).
 */
export function startTracing(app: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk || !tracingEnabled(env)) return Boolean(sdk);
  const protocol = (env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? 'http/protobuf').trim();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    // gRPC would pull in a second HTTP/2 stack for no gain: every OTLP receiver (Jaeger, the Collector) speaks HTTP.
    process.stderr.write(`[${app}] OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported; use http/protobuf (default) or http/json\n`);
  }
  const exporter = protocol === 'http/json' ? new OtlpHttpJsonExporter() : new OtlpHttpProtobufExporter();
  sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME'] || `datafactory-${app}`,
    resource: resourceFromAttributes({
      [ATTR_SERVICE_VERSION]: SERVICE_VERSION,
      // Overridden by OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=... (the env detector merges last).
      'deployment.environment.name': env['NODE_ENV'] ?? 'development',
    }),
    spanProcessors: [new RedactingSpanProcessor(), new BatchSpanProcessor({ exporter, ...batchOptionsFromEnv(env, app) })],
    // Metrics are Prometheus (prom-client) and logs are JSON on stdout: the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.includes((req.url ?? '').split('?')[0] ?? ''),
        // Outgoing calls between services are node:http (InternalHttpClient); the embedding provider's are fetch
        // (undici, below). A bare call outside a trace is not worth a root span.
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // Route handlers only: a span per middleware (json parser, request context, ...) is noise.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
      // Statements carry $n placeholders, never values (enhancedDatabaseReporting stays off). Polls outside a
      // traced request or job (relay, reconciler, schedulers) would be a root trace every second: skipped.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false, ignoreConnectSpans: true }),
      // BullMQ polls Redis continuously; only commands inside a traced request or job get spans, and only the
      // command name is recorded (arguments hold keys and payloads).
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  sdk.start();
  return true;
}

/** The batch processor's buffer and timing settings (everything but the exporter). */
export type BatchOptions = Pick<
  BatchSpanProcessorOptions,
  'scheduledDelayMillis' | 'maxQueueSize' | 'maxExportBatchSize' | 'exportTimeoutMillis'
>;

const BATCH_VARIABLES = {
  OTEL_BSP_SCHEDULE_DELAY: 'scheduledDelayMillis',
  OTEL_BSP_MAX_QUEUE_SIZE: 'maxQueueSize',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 'maxExportBatchSize',
  OTEL_BSP_EXPORT_TIMEOUT: 'exportTimeoutMillis',
} as const satisfies Record<string, keyof BatchOptions>;

/**
 * The batch span processor's settings from the standard `OTEL_BSP_*` variables. The SDK reads them only for a
 * processor it builds itself; ours is built here (after the redacting processor), so it reads them here too.
 * A value that is not a non-negative integer is reported and the SDK default kept.
 */
export function batchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env, app = 'tracing'): BatchOptions {
  const options: BatchOptions = {};
  for (const [variable, option] of Object.entries(BATCH_VARIABLES) as Array<[keyof typeof BATCH_VARIABLES, keyof BatchOptions]>) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    if (/^\d+$/.test(raw)) options[option] = Number(raw);
    else process.stderr.write(`[${app}] ${variable}=${raw} is not a non-negative integer; using the default\n`);
  }
  return options;
}

/** How long shutdown waits for the last spans to be exported: an unreachable collector must not hold up a deploy. */
const FLUSH_TIMEOUT_MS = 2_000;

/** Flushes buffered spans; called on shutdown so the last requests before a deploy are not lost. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  if (!running) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    running.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_TIMEOUT_MS).unref())),
  ]);
  clearTimeout(timer);
}

/** The tracer of DataFactory's own spans (a no-op while tracing is off). */
export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME, SERVICE_VERSION);
}

/** The active OpenTelemetry span's ids, when tracing is on and a span is active. */
export function activeSpanIds(): { traceId: string; spanId: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : undefined;
}

/** The W3C `traceparent` of the active span (sampling flag included), when tracing is on. */
export function activeTraceparent(): string | undefined {
  if (!activeSpanIds()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

export interface SpanOptions {
  kind?: SpanKind;
  /** Ids and counts only: never document text, queries or anything a person typed. */
  attributes?: Record<string, string | number | boolean>;
  /** The W3C `traceparent` this work continues (stored on a job row, carried in a queue message). */
  parent?: string | undefined;
  /** Errors that are control flow, not failures (a job handed back, say): not marked as errors. */
  expected?: (error: unknown) => boolean;
}

/**
 * Runs `fn` in a new span (child of `parent` when given, else of the active span). `fn` receives the new
 * span's `traceparent`, to hand on across a hop the instrumentations cannot see (a queue message), or
 * undefined when tracing is off.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (traceparent: string | undefined) => Promise<T>): Promise<T> {
  const parentContext: Context = options.parent ? propagation.extract(ROOT_CONTEXT, { traceparent: options.parent }) : context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    parentContext,
    async (span: Span) => {
      try {
        return await fn(activeTraceparent());
      } catch (error) {
        if (!options.expected?.(error)) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        }
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** OpenTelemetry messaging attributes of a queue message: the queue, the job id and type (never its payload). */
export function messagingAttributes(queue: string, jobId: string, jobType: string): Record<string, string> {
  return {
    'messaging.system': 'bullmq',
    'messaging.destination.name': queue,
    'messaging.message.id': jobId,
    'datafactory.job.type': jobType,
  };
}

/** URL attributes whose query string may hold what a person typed (a subject id, a filter value). */
const URL_ATTRIBUTES = ['url.full', 'url.query', 'http.url', 'http.target'];

/**
 * Removes query strings from URL attributes before a span is exported: search and audit routes take ids and
 * filters as query parameters, and span attributes must not carry them. Paths are kept (they hold ids only).
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(span: SdkSpan): void {
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value !== 'string') continue;
      if (key === 'url.query') span.setAttribute(key, 'REDACTED');
      else if (value.includes('?')) span.setAttribute(key, `${value.slice(0, value.indexOf('?'))}?REDACTED`);
    }
  }
  onEnd(): void {
    // redaction happens at start, before any exporter can see the span
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export { SpanKind };
