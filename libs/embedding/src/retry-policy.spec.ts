import { backoffDelayMs, parseRetryAfterMs, RETRY_AFTER_CAP_MS } from './retry-policy';

describe('backoffDelayMs', () => {
  it('grows exponentially from 500ms with full jitter and caps at 20s', () => {
    const max = (): number => 0.999999;
    expect(backoffDelayMs(0, max)).toBe(499);
    expect(backoffDelayMs(1, max)).toBe(999);
    expect(backoffDelayMs(3, max)).toBe(3999);
    expect(backoffDelayMs(10, max)).toBe(19_999);
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(2, () => 0.5)).toBe(1000);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('parses delta-seconds', () => {
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('1.5', now)).toBe(1500);
  });

  it('parses an HTTP-date relative to now', () => {
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('caps at 60s', () => {
    expect(parseRetryAfterMs('3600', now)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfterMs('Thu, 02 Jan 2025 00:00:00 GMT', now)).toBe(60_000);
  });

  it('ignores missing or garbage values', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs('', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
  });
});
