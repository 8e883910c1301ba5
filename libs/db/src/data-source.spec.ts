import { startupOptions } from './data-source';

describe('startupOptions', () => {
  it('turns settings into -c name=value pairs', () => {
    expect(startupOptions({ 'hnsw.ef_search': '100', 'hnsw.iterative_scan': 'strict_order' })).toBe(
      '-c hnsw.ef_search=100 -c hnsw.iterative_scan=strict_order',
    );
  });

  it('refuses names or values that would need quoting', () => {
    expect(() => startupOptions({ 'hnsw.ef_search': '100 -c x=1' })).toThrow(RangeError);
    expect(() => startupOptions({ 'bad name': '1' })).toThrow(RangeError);
  });
});
