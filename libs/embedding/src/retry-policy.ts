export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, factor: 2, capMs: 20_000 };

/** A server asking for more than this is treated as asking for this; a job can retry later. */
export const RETRY_AFTER_CAP_MS = 60_000;

/**
 * Exponential backoff with full jitter: uniform in [0, min(cap, base * factor^retry)).
 * Full jitter spreads out many workers that were throttled at the same moment.
 * `retry` is 0 for the first retry.
 */
export function backoffDelayMs(retry: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** retry);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Parses a Retry-After header (delta-seconds or HTTP-date) into milliseconds, capped at
 * RETRY_AFTER_CAP_MS. Returns undefined when absent or unparseable, so the caller falls back to
 * backoff.
 */
export function parseRetryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    ms = Math.ceil(Number(trimmed) * 1000);
  } else {
    // HTTP-date always starts with a day name; this keeps Date.parse from accepting "-5" etc.
    if (!/^[A-Za-z]/.test(trimmed)) return undefined;
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, RETRY_AFTER_CAP_MS);
}
