import { l2normalize } from './l2-normalize';

describe('l2normalize', () => {
  it('scales to unit length without mutating the input', () => {
    const v = [3, 4];
    expect(l2normalize(v)).toEqual([0.6, 0.8]);
    expect(v).toEqual([3, 4]);
  });

  it('returns a copy of a zero vector unchanged', () => {
    const zero = [0, 0, 0];
    const out = l2normalize(zero);
    expect(out).toEqual([0, 0, 0]);
    expect(out).not.toBe(zero);
  });
});
