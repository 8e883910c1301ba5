import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { RedactingSpanProcessor, tracingEnabled } from './tracing';
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
