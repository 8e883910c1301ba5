import { DEFAULT_CHUNKING_OPTIONS, resolveChunkingOptions } from './chunking-options';

describe('resolveChunkingOptions', () => {
  it('fills in defaults for missing or undefined fields', () => {
    expect(resolveChunkingOptions()).toEqual({ maxTokens: 400, overlapTokens: 60 });
    expect(resolveChunkingOptions({ maxTokens: 1000, overlapTokens: undefined })).toEqual({ maxTokens: 1000, overlapTokens: 60 });
    expect(resolveChunkingOptions({ overlapTokens: 0 })).toEqual({ maxTokens: 400, overlapTokens: 0 });
  });

  it('does not let callers mutate the defaults', () => {
    expect(Object.isFrozen(DEFAULT_CHUNKING_OPTIONS)).toBe(true);
    expect(resolveChunkingOptions()).not.toBe(DEFAULT_CHUNKING_OPTIONS);
  });

  it('explains what is wrong', () => {
    expect(() => resolveChunkingOptions({ maxTokens: 10 })).toThrow('maxTokens must be an integer between 16 and 8192, got 10');
    expect(() => resolveChunkingOptions({ maxTokens: 100, overlapTokens: 50 })).toThrow(
      'overlapTokens must be an integer >= 0 and < maxTokens / 2 (50), got 50',
    );
  });
});
