import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('does not depend on key insertion order, at any depth', () => {
    const a = { title: 'T', metadata: { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null } }, subjectIds: ['s1'] };
    const b = { subjectIds: ['s1'], metadata: { a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 }, title: 'T' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"metadata":{"a":{"x":null,"y":[1,{"p":2,"q":1}]},"b":1},"subjectIds":["s1"],"title":"T"}');
  });

  it('keeps array order significant', () => {
    expect(canonicalJson({ s: ['a', 'b'] })).not.toBe(canonicalJson({ s: ['b', 'a'] }));
  });

  it('distinguishes different values', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ title: null, metadata: {} })).not.toBe(canonicalJson({ title: '', metadata: {} }));
  });

  it('serialises primitives like JSON.stringify', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson([])).toBe('[]');
  });

  it('sorts keys by code unit order, not locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, ä: 4, '10': 5, '9': 6 })).toBe('{"9":6,"10":5,"B":2,"a":3,"b":1,"ä":4}');
  });
});
