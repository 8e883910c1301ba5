import { sqlLiteral, toVectorLiteral, vectorCast } from './vector-sql';

describe('toVectorLiteral', () => {
  it('writes pgvector text form', () => {
    expect(toVectorLiteral([1, -2, 0.5])).toBe('[1,-2,0.5]');
    expect(toVectorLiteral([])).toBe('[]');
  });

  it('keeps 7 significant digits (float4 precision) and drops trailing zeros', () => {
    expect(toVectorLiteral([0.123456789, 1 / 3, -2 / 3])).toBe('[0.1234568,0.3333333,-0.6666667]');
    expect(toVectorLiteral([123456789])).toBe('[1.234568e+8]');
    expect(toVectorLiteral([100, 2.5e-7, 1.000000001])).toBe('[100,2.5e-7,1]');
    expect(toVectorLiteral([0.1])).toBe('[0.1]');
  });

  it('writes 0 for zero and negative zero', () => {
    expect(toVectorLiteral([0, -0])).toBe('[0,0]');
  });

  it('uses exponent notation that pgvector parses for tiny and huge values', () => {
    const literal = toVectorLiteral([1.234567891e-9, -3e21]);
    expect(literal).toBe('[1.234568e-9,-3e+21]');
    const parsed = literal.slice(1, -1).split(',').map(Number);
    expect(parsed[0]).toBeCloseTo(1.234568e-9, 15);
    expect(parsed[1]).toBe(-3e21);
  });

  it('round-trips within float4 relative precision', () => {
    const v = Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7) / (i + 1));
    const back = toVectorLiteral(v).slice(1, -1).split(',').map(Number);
    back.forEach((x, i) => expect(Math.abs(x - (v[i] as number))).toBeLessThanOrEqual(Math.abs(v[i] as number) * 1e-6));
  });

  it.each([[NaN], [Infinity], [-Infinity]])('rejects %p and names the component', (bad) => {
    expect(() => toVectorLiteral([0.1, 0.2, bad])).toThrow(new RangeError('vector component 2 is not a finite number'));
  });
});

describe('vectorCast', () => {
  it('returns the cast type for valid dimensions', () => {
    expect(vectorCast(1)).toBe('vector(1)');
    expect(vectorCast(1536)).toBe('vector(1536)');
    expect(vectorCast(16000)).toBe('vector(16000)');
  });

  it.each([[0], [-1], [16001], [1.5], [NaN], [Infinity]])('rejects %p', (dims) => {
    expect(() => vectorCast(dims)).toThrow(RangeError);
  });
});

describe('sqlLiteral', () => {
  it('quotes and doubles single quotes', () => {
    expect(sqlLiteral('hash:v1:384')).toBe("'hash:v1:384'");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("'; DROP TABLE chunks; --")).toBe("'''; DROP TABLE chunks; --'");
    expect(sqlLiteral('')).toBe("''");
  });

  it('leaves backslashes alone (standard_conforming_strings)', () => {
    expect(sqlLiteral('a\\b')).toBe("'a\\b'");
  });

  it('rejects NUL', () => {
    expect(() => sqlLiteral('a\u0000b')).toThrow(RangeError);
  });
});
