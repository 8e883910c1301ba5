import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchSpanProcessor, TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { RedactingSpanProcessor, batchOptionsFromEnv, tracingEnabled } from './tracing';
import { SERVICE_VERSION } from './version';

describe('tracingEnabled', () => {
  it('is off by default and turned on by an OTLP endpoint', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' })).toBe(true);
  });

  it('stays off when the SDK or the traces exporter is disabled, whatever the endpoint', () => {
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'TRUE' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });
});

describe('batchOptionsFromEnv', () => {
  it('reads the standard OTEL_BSP_* variables (the SDK only does so for processors it builds itself)', () => {
    expect(batchOptionsFromEnv({})).toEqual({});
    expect(
      batchOptionsFromEnv({
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BSP_MAX_QUEUE_SIZE: '8192',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: ' 1024 ',
        OTEL_BSP_EXPORT_TIMEOUT: '10000',
      }),
    ).toEqual({ scheduledDelayMillis: 200, maxQueueSize: 8192, maxExportBatchSize: 1024, exportTimeoutMillis: 10000 });
  });

  it('reports a value that is not a non-negative integer and keeps the default', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(
        batchOptionsFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '5s', OTEL_BSP_MAX_QUEUE_SIZE: '-1', OTEL_BSP_EXPORT_TIMEOUT: '' }, 'ingest'),
      ).toEqual({});
      expect(write).toHaveBeenCalledWith(expect.stringContaining('[ingest] OTEL_BSP_SCHEDULE_DELAY=5s is not a non-negative integer'));
      expect(write).toHaveBeenCalledWith(expect.stringContaining('OTEL_BSP_MAX_QUEUE_SIZE=-1'));
      expect(write).toHaveBeenCalledTimes(2);
    } finally {
      write.mockRestore();
    }
  });

  it('makes a batch processor export on the configured schedule, not the 5 s default', async () => {
    jest.useFakeTimers();
    try {
      const exporter = new InMemorySpanExporter();
      const provider = new TracerProvider({
        spanProcessors: [new BatchSpanProcessor({ exporter, ...batchOptionsFromEnv({ OTEL_BSP_SCHEDULE_DELAY: '200' }) })],
      });
      provider.getTracer('test').startSpan('work').end();
      await jest.advanceTimersByTimeAsync(199);
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(2);
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['work']);
      await provider.shutdown();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('RedactingSpanProcessor', () => {
  it('drops query strings from URL attributes and keeps paths and everything else', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new RedactingSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
    provider
      .getTracer('test')
      .startSpan('GET', {
        attributes: {
          'url.full': 'http://governance:8084/v1/audit?subject=jane.doe%40example.com',
          'url.query': 'subject=jane.doe%40example.com',
          'http.target': '/v1/audit?subject=jane',
          'url.path': '/v1/audit',
          'http.request.method': 'GET',
        },
      })
      .end();
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toEqual({
      'url.full': 'http://governance:8084/v1/audit?REDACTED',
      'url.query': 'REDACTED',
      'http.target': '/v1/audit?REDACTED',
      'url.path': '/v1/audit',
      'http.request.method': 'GET',
    });
  });
});

describe('SERVICE_VERSION', () => {
  it('is the release in package.json (traces and the OpenAPI document report it)', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(SERVICE_VERSION).toBe(pkg.version);
  });
});
