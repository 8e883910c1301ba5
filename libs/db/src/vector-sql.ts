/**
 * pgvector's text form with 7 significant digits: float4 precision, about half the bytes of
 * JavaScript's shortest round-trip form. Vectors travel as these literals inside text[] parameters.
 */
export function toVectorLiteral(vector: readonly number[]): string {
  let out = '[';
  for (let i = 0; i < vector.length; i++) {
    const v = vector[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`vector component ${i} is not a finite number`);
    if (i > 0) out += ',';
    out += v === 0 ? '0' : String(Number(v.toPrecision(7)));
  }
  return `${out}]`;
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
