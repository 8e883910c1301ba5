import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** One span as the tests see it, flattened from OTLP's resourceSpans → scopeSpans → spans. */
export interface CollectedSpan {
  service: string;
  /** The resource's service.version and deployment.environment.name. */
  version: string;
  environment: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, unknown>;
  statusCode: number;
  /** When the span ended (its endTimeUnixNano) and when the receiver got it, in ms since the epoch: export lag. */
  endedAtMs?: number;
  receivedAtMs?: number;
}

export const SpanKindCode = { Internal: 1, Server: 2, Client: 3, Producer: 4, Consumer: 5 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        endTimeUnixNano?: string | number;
        attributes?: OtlpAttribute[];
        status?: { code?: number };
      }>;
    }>;
  }>;
}

function valueOf(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

const attributesOf = (attrs: OtlpAttribute[] = []): Record<string, unknown> =>
  Object.fromEntries(attrs.map((a) => [a.key, valueOf(a.value)]));

/** OTLP/JSON encodes ids as hex (the spec); some exporters send base64 — accept both. */
function hexId(id: string | undefined, bytes: number): string | undefined {
  if (!id) return undefined;
  if (new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(id)) return id;
  const hex = Buffer.from(id, 'base64').toString('hex');
  return /^0+$/.test(hex) ? undefined : hex;
}

export function flattenOtlp(body: OtlpTraces, receivedAtMs?: number): CollectedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs) => {
    const resource = attributesOf(rs.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown');
    const version = String(resource['service.version'] ?? '');
    const environment = String(resource['deployment.environment.name'] ?? '');
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => {
        const parent = hexId(s.parentSpanId, 8);
        return {
          service,
          version,
          environment,
          traceId: hexId(s.traceId, 16) as string,
          spanId: hexId(s.spanId, 8) as string,
          ...(parent ? { parentSpanId: parent } : {}),
          name: s.name,
          kind: s.kind ?? 1,
          attributes: attributesOf(s.attributes),
          statusCode: s.status?.code ?? 0,
          ...(s.endTimeUnixNano !== undefined ? { endedAtMs: Number(BigInt(s.endTimeUnixNano) / 1_000_000n) } : {}),
          ...(receivedAtMs !== undefined ? { receivedAtMs } : {}),
        };
      }),
    );
  });
}

/**
 * An OTLP/HTTP trace receiver (what Jaeger or a Collector listens on, at `/v1/traces`), JSON encoding
 * (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`). Received spans are appended to a JSON-lines file so test
 * processes other than the one running the receiver can read them.
 */
export class OtlpReceiver {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly file: string,
  ) {}

  static async start(file: string): Promise<OtlpReceiver> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          res.writeHead(415, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'this receiver takes OTLP/JSON only' }));
          return;
        }
        try {
          const spans = flattenOtlp(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces, Date.now());
          if (spans.length > 0) appendFileSync(file, spans.map((s) => JSON.stringify(s)).join('\n') + '\n');
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch (error) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (error as Error).message }));
        }
      });
    });
    // Node closes idle keep-alive connections after 5 s; an exporter reusing one just then gets a reset and
    // retries with backoff, holding a batch back for seconds. Collectors keep idle connections far longer.
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new OtlpReceiver(server, `http://127.0.0.1:${port}`, file);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Every span received so far (from the receiver's file). */
export function readSpans(file: string): CollectedSpan[] {
  if (!existsSync(file)) return [];
  // The receiver may be appending while we read: the text after the last newline is a line still being written.
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
  return lines.filter((line) => line.length > 0).map((line) => JSON.parse(line) as CollectedSpan);
}
