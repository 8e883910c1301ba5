/**
 * Runs `work` over `items` with at most `lanes` calls in flight and returns the results in input order. The first
 * failure aborts the signal handed to the other calls and is thrown; the caller's own cancellation wins over both.
 */
export async function mapInLanes<T, R>(
  items: readonly T[],
  lanes: number,
  work: (item: T, signal: AbortSignal) => Promise<R>,
  callerSignal?: AbortSignal,
): Promise<R[]> {
  const stop = new AbortController();
  const signal = callerSignal ? AbortSignal.any([callerSignal, stop.signal]) : stop.signal;
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T, signal);
  };
  const running = Array.from({ length: Math.min(lanes, items.length) }, () =>
    lane().catch((error: unknown) => {
      stop.abort(error);
      throw error;
    }),
  );
  const settled = await Promise.allSettled(running);
  callerSignal?.throwIfAborted();
  // The first failure, not an abort it caused in the other lanes.
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw stop.signal.aborted ? stop.signal.reason : failed.reason;
  return results;
}
