import { flattenOtlp } from './otlp-receiver';

describe('flattenOtlp', () => {
  it("flattens resource → scope → spans with the resource's service, version and environment", () => {
    const spans = flattenOtlp({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'datafactory-ingest' } },
              { key: 'service.version', value: { stringValue: '0.1.0' } },
              { key: 'deployment.environment.name', value: { stringValue: 'e2e' } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                  spanId: '00f067aa0ba902b7',
                  parentSpanId: '',
                  name: 'process ingest',
                  kind: 5,
                  attributes: [{ key: 'datafactory.job.attempt', value: { intValue: '2' } }],
                  status: { code: 0 },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(spans).toEqual([
      {
        service: 'datafactory-ingest',
        version: '0.1.0',
        environment: 'e2e',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        name: 'process ingest',
        kind: 5,
        attributes: { 'datafactory.job.attempt': 2 },
        statusCode: 0,
      },
    ]);
  });

  it('accepts base64 ids too', () => {
    const traceId = Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex').toString('base64');
    const spanId = Buffer.from('00f067aa0ba902b7', 'hex').toString('base64');
    const [span] = flattenOtlp({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId, parentSpanId: spanId, name: 'x' }] }] }] });
    expect(span).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      parentSpanId: '00f067aa0ba902b7',
      service: 'unknown',
    });
  });

  it('keeps when a span ended and when it was received, to measure export lag', () => {
    const [span] = flattenOtlp(
      {
        resourceSpans: [
          {
            scopeSpans: [
              { spans: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'x', endTimeUnixNano: '1796421107602123456' }] },
            ],
          },
        ],
      },
      1796421107900,
    );
    expect(span).toMatchObject({ endedAtMs: 1796421107602, receivedAtMs: 1796421107900 });
  });
});
