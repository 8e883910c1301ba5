import { embeddingVersion } from './embedding-provider';
import { HashEmbeddingProvider } from './hash-embedding.provider';

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: number[]): number => Math.sqrt(dot(a, a));

describe('HashEmbeddingProvider', () => {
  const provider = new HashEmbeddingProvider();

  it('defaults to 384 dimensions and reports its version', () => {
    expect(provider.provider).toBe('hash');
    expect(provider.model).toBe('fh-v1');
    expect(provider.dimensions).toBe(384);
    expect(provider.version).toBe('hash:fh-v1:384');
    expect(new HashEmbeddingProvider(64).version).toBe(embeddingVersion('hash', 'fh-v1', 64));
  });

  it('returns one unit-norm vector of the configured size per text, in order', async () => {
    const p = new HashEmbeddingProvider(128);
    const texts = ['alpha beta', 'gamma', 'Ünïcödé straße 東京タワー', 'x'];
    const vectors = await p.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toHaveLength(128);
      expect(norm(v)).toBeCloseTo(1, 10);
      expect(v.every(Number.isFinite)).toBe(true);
    }
    const single = await p.embed(['gamma']);
    expect(single[0]).toEqual(vectors[1]);
  });

  it('is deterministic across calls and instances', async () => {
    const text = 'Postgres with pgvector stores the chunk embeddings';
    const [a] = await new HashEmbeddingProvider().embed([text]);
    const [b] = await new HashEmbeddingProvider().embed([text]);
    expect(a).toEqual(b);
    // Pin a few values so an accidental algorithm change (which would need a new model name) fails.
    const [c] = await new HashEmbeddingProvider(8).embed(['hello world']);
    const expected = [-0.391396843832, 0, 0.652328073053, 0.587095265748, 0, -0.195698421916, -0.195698421916, 0];
    c!.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 10));
  });

  it('normalises case and Unicode compatibility forms', async () => {
    const [a, b, c] = await provider.embed(['Hello World', 'hello world', 'ＨＥＬＬＯ ｗｏｒｌｄ']);
    expect(a).toEqual(b);
    expect(c).toEqual(b);
    // Punctuation and spacing are not features.
    const [d] = await provider.embed(['  hello,   world!! ']);
    expect(d).toEqual(b);
  });

  it('scores texts that share words above unrelated texts', async () => {
    const [query, related, unrelated] = await provider.embed([
      'how do I reset my account password',
      'steps to reset a forgotten password for your account',
      'quarterly revenue grew in the european market',
    ]);
    const simRelated = dot(query!, related!);
    const simUnrelated = dot(query!, unrelated!);
    expect(simRelated).toBeGreaterThan(0.3);
    expect(simRelated).toBeGreaterThan(simUnrelated + 0.2);
  });

  it('gives typos and inflections partial credit through character trigrams', async () => {
    const [base, typo, other] = await provider.embed(['embedding', 'embeddings', 'tokenizer']);
    expect(dot(base!, typo!)).toBeGreaterThan(0.3);
    expect(dot(base!, typo!)).toBeGreaterThan(dot(base!, other!) + 0.3);
  });

  it('is sensitive to word order through bigrams', async () => {
    const [ab, ba] = await provider.embed(['dog bites man', 'man bites dog']);
    expect(dot(ab!, ba!)).toBeLessThan(0.999);
    expect(dot(ab!, ba!)).toBeGreaterThan(0.5);
  });

  it('maps empty and featureless texts to a fixed unit vector', async () => {
    const [empty, punct, spaces] = await provider.embed(['', '?!… —', '   ']);
    expect(norm(empty!)).toBeCloseTo(1, 12);
    expect(empty![0]).toBe(1);
    expect(punct).toEqual(empty);
    expect(spaces).toEqual(empty);
    const [word] = await provider.embed(['word']);
    expect(Number.isFinite(dot(empty!, word!))).toBe(true);
  });

  it('returns an empty list for no texts', async () => {
    await expect(provider.embed([])).resolves.toEqual([]);
  });

  it('validates dimensions', () => {
    expect(() => new HashEmbeddingProvider(7)).toThrow(/EMBEDDING_DIMENSIONS/);
    expect(() => new HashEmbeddingProvider(4097)).toThrow(/8\.\.4096/);
    expect(() => new HashEmbeddingProvider(100.5)).toThrow(RangeError);
    expect(new HashEmbeddingProvider(8).dimensions).toBe(8);
    expect(new HashEmbeddingProvider(4096).dimensions).toBe(4096);
  });

  it('honours an already-aborted signal', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(provider.embed(['a'], { signal: ac.signal })).rejects.toThrow('stop');
  });

  it('notices an abort while working through a large batch', async () => {
    const ac = new AbortController();
    const pending = provider.embed(
      Array.from({ length: 2000 }, (_, i) => `text ${i}`),
      { signal: ac.signal },
    );
    ac.abort(new Error('cancelled mid-way'));
    await expect(pending).rejects.toThrow('cancelled mid-way');
  });

  it('embeds 10k short chunks in well under the test timeout', async () => {
    const texts = Array.from(
      { length: 10_000 },
      (_, i) => `chunk ${i}: the ingest pipeline splits documents into passages and indexes tenant ${i % 37} data`,
    );
    const vectors = await provider.embed(texts);
    expect(vectors).toHaveLength(10_000);
    expect(vectors[9_999]).toHaveLength(384);
  });
});
