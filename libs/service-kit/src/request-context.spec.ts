import { currentContext, requestIdFrom, runWithContext, traceFrom, traceparentOf } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('traceFrom', () => {
  it("continues a valid traceparent's trace with a new span of its own", () => {
    const { traceId, spanId } = traceFrom(`00-${TRACE_ID}-00f067aa0ba902b7-01`);
    expect(traceId).toBe(TRACE_ID);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(spanId).not.toBe('00f067aa0ba902b7');
  });

  it('accepts unsampled flags too', () => {
    expect(traceFrom(`00-${TRACE_ID}-00f067aa0ba902b7-00`).traceId).toBe(TRACE_ID);
  });

  it.each([
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`],
    ['short trace id', `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
    ['unknown version', `01-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['trailing garbage', `00-${TRACE_ID}-00f067aa0ba902b7-01-extra`],
    ['not hex', `00-${'z'.repeat(32)}-00f067aa0ba902b7-01`],
    ['empty', ''],
    ['missing', undefined],
  ])('starts a new trace for %s', (_what, header) => {
    const { traceId, spanId } = traceFrom(header);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    expect(traceId).not.toBe(TRACE_ID);
    expect(traceId).not.toBe(TRACE_ID.toUpperCase());
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('mints a different trace id each time it has to start one', () => {
    expect(traceFrom(undefined).traceId).not.toBe(traceFrom(undefined).traceId);
  });

  it('round-trips through traceparentOf', () => {
    const ctx = { requestId: 'r', ...traceFrom(undefined) };
    const header = traceparentOf(ctx);
    expect(header).toBe(`00-${ctx.traceId}-${ctx.spanId}-01`);
    expect(traceFrom(header).traceId).toBe(ctx.traceId);
  });
});

describe('requestIdFrom', () => {
  it.each(['abc', 'req-123_4.5:6', 'x'.repeat(128)])('keeps a sane caller id %j', (id) => {
    expect(requestIdFrom(id)).toBe(id);
  });

  it.each([undefined, '', 'x'.repeat(129), 'has space', 'new\nline', 'semi;colon', '<script>', 'ümlaut'])(
    'replaces %j with a UUID',
    (id) => {
      const out = requestIdFrom(id);
      expect(out).toMatch(UUID);
    },
  );

  it('mints a different id each time', () => {
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('runWithContext', () => {
  it('exposes the context inside, across awaits, and not outside', async () => {
    const ctx = { requestId: 'r-1', traceId: TRACE_ID, spanId: '00f067aa0ba902b7' };
    expect(currentContext()).toBeUndefined();
    const seen = await runWithContext(ctx, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentContext();
    });
    expect(seen).toBe(ctx);
    expect(currentContext()).toBeUndefined();
  });
});
