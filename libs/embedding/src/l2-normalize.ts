/**
 * Returns a new vector scaled to unit length. A zero (or non-finite-norm) vector is returned as
 * a copy unchanged: there is no direction to preserve, and NaNs would poison a vector index.
 */
export function l2normalize(v: number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm === 0 || !Number.isFinite(norm)) return v.slice();
  return v.map((x) => x / norm);
}
