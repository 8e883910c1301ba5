import { toHealthResponse } from './health-response';

describe('toHealthResponse', () => {
  it("all up: ok, with each check's latency", () => {
    expect(
      toHealthResponse({ details: { postgres: { status: 'up', responseTime: 3 }, redis: { status: 'up', responseTime: 1 } } }),
    ).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'up', latency_ms: 3 }, redis: { status: 'up', latency_ms: 1 } },
    });
  });

  it('anything down: unavailable, naming every check that is down with its error', () => {
    const report = toHealthResponse({
      details: {
        postgres: { status: 'down', message: 'connect ECONNREFUSED', responseTime: 2 },
        pgvector: { status: 'up', responseTime: 4 },
        redis: { status: 'down', message: 'timeout of 2000ms exceeded', responseTime: 2000 },
      },
    });
    expect(report).toEqual({
      status: 'unavailable',
      message: 'down: postgres, redis',
      checks: {
        postgres: { status: 'down', message: 'connect ECONNREFUSED' },
        pgvector: { status: 'up', latency_ms: 4 },
        redis: { status: 'down', message: 'timeout of 2000ms exceeded' },
      },
    });
  });

  it('a degradable check down: degraded, still naming it; a critical one down as well: unavailable', () => {
    const redisDown = {
      details: {
        postgres: { status: 'up' as const, responseTime: 1 },
        redis: { status: 'down' as const, message: 'Connection is closed.' },
      },
    };
    expect(toHealthResponse(redisDown, new Set(['redis']))).toEqual({
      status: 'degraded',
      message: 'down: redis',
      checks: { postgres: { status: 'up', latency_ms: 1 }, redis: { status: 'down', message: 'Connection is closed.' } },
    });
    expect(toHealthResponse(redisDown).status).toBe('unavailable');
    const bothDown = { details: { ...redisDown.details, postgres: { status: 'down' as const, message: 'ECONNREFUSED' } } };
    expect(toHealthResponse(bothDown, new Set(['redis'])).status).toBe('unavailable');
  });
});
