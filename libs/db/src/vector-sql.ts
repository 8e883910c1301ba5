/**
 * pgvector's text form with 7 significant digits: float4 precision, about half the bytes of
 * JavaScript's shortest round-trip form. Vectors travel as these literals inside text[] parameters.
 * `toPrecision` with its trailing zeros cut, not parsed back into a number and printed again: that round trip
 * cost 2.7× the time, and every chunk's vector goes through here (values of 1e7 and more keep the exponent form).
 */
export function toVectorLiteral(vector: readonly number[]): string {
  let out = '[';
  for (let i = 0; i < vector.length; i++) {
    const v = vector[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`vector component ${i} is not a finite number`);
    if (i > 0) out += ',';
    out += v === 0 ? '0' : withoutTrailingZeros(v.toPrecision(7));
  }
  return `${out}]`;
}

/** "0.1000000" → "0.1", "1.000000" → "1", "1.200000e-7" → "1.2e-7". */
function withoutTrailingZeros(s: string): string {
  const e = s.indexOf('e');
  const mantissaEnd = e < 0 ? s.length : e;
  if (s.lastIndexOf('.', mantissaEnd) < 0) return s;
  let end = mantissaEnd;
  while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (s.charCodeAt(end - 1) === 46 /* . */) end--;
  return e < 0 ? s.slice(0, end) : s.slice(0, end) + s.slice(e);
}

/** Identifier-safe SQL for an expression index per embedding version: `embedding::vector(<dims>)`. */
export function vectorCast(dimensions: number): string {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16000) throw new RangeError(`invalid vector dimension ${dimensions}`);
  return `vector(${dimensions})`;
}

/** A string as an SQL literal (standard_conforming_strings is on in every supported Postgres). */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new RangeError('SQL literal must not contain NUL');
  return `'${value.replace(/'/g, "''")}'`;
}
