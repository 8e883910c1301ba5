export interface RetryPolicy {
  /** Delay before the first retry. */
  baseMs: number;
  /** Each further retry waits this many times longer: 1 s → 5 s → 25 s → 125 s with the defaults. */
  factor: number;
  /** ± this fraction of random jitter, so retries of many jobs do not arrive together. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, factor: 5, jitter: 0.2 };

/** Delay before retry number `retry` (1 = the first retry). */
export function retryDelayMs(retry: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number {
  const nominal = policy.baseMs * policy.factor ** Math.max(0, retry - 1);
  const spread = nominal * policy.jitter;
  return Math.max(0, Math.round(nominal - spread + random() * 2 * spread));
}
