import { EmbeddingError } from './embedding.errors';
import type { EmbeddingCallInfo, EmbeddingCallOutcome, EmbeddingSettings } from './embedding.settings';
import { HashEmbeddingProvider } from './hash-embedding.provider';
import { OpenAiEmbeddingProvider } from './openai-embedding.provider';
import { type FakeOpenAiServer, type FakeOpenAiServerOptions, startFakeOpenAiServer } from './testing';

describe('OpenAiEmbeddingProvider', () => {
  let server: FakeOpenAiServer | undefined;
  let sleeps: number[];
  let calls: Array<[EmbeddingCallOutcome, EmbeddingCallInfo]>;

  const start = async (opts: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> => {
    server = await startFakeOpenAiServer(opts);
    return server;
  };

  const create = (srv: FakeOpenAiServer, settings: Partial<EmbeddingSettings> = {}, random = (): number => 0.5) =>
    new OpenAiEmbeddingProvider(
      {
        provider: 'openai',
        baseUrl: srv.baseUrl,
        model: 'text-embedding-3-small',
        onCall: (outcome, info) => calls.push([outcome, info]),
        ...settings,
      },
      {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random,
      },
    );

  const rejection = async (p: Promise<unknown>): Promise<EmbeddingError> => {
    const err: unknown = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EmbeddingError);
    return err as EmbeddingError;
  };

  const outcomes = (): EmbeddingCallOutcome[] => calls.map(([o]) => o);
  const inputsOf = (srv: FakeOpenAiServer): unknown[] => srv.requests.map((r) => (r.body as { input: unknown }).input);

  beforeEach(() => {
    sleeps = [];
    calls = [];
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('batches sequentially, preserves order despite shuffled indexes, and sends model, dimensions and key', async () => {
    const srv = await start({ shuffle: true, apiKey: 'sk-test-123' });
    const provider = create(srv, { apiKey: 'sk-test-123', dimensions: 16, concurrency: 1 });
    const texts = Array.from({ length: 150 }, (_, i) => `document ${i} about topic ${i % 7}`);

    const vectors = await provider.embed(texts);

    expect(srv.requests).toHaveLength(3);
    expect(inputsOf(srv)).toEqual([texts.slice(0, 64), texts.slice(64, 128), texts.slice(128)]);
    for (const req of srv.requests) {
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/v1/embeddings');
      expect(req.headers['authorization']).toBe('Bearer sk-test-123');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 16, encoding_format: 'float' });
    }
    // The fake answers with hash vectors, so the expected output per text is known.
    expect(vectors).toEqual(await new HashEmbeddingProvider(16).embed(texts));
    expect(provider.dimensions).toBe(16);
    expect(provider.version).toBe('openai:text-embedding-3-small:16');
    expect(outcomes()).toEqual(['success', 'success', 'success']);
    expect(calls.map(([, info]) => info.batchSize)).toEqual([64, 64, 22]);
    expect(calls.every(([, info]) => info.status === 200 && info.durationMs >= 0)).toBe(true);
  });

  it('checks that shuffling really happens in the fake (guards the ordering test)', async () => {
    const srv = await start({ shuffle: true, defaultDimensions: 8 });
    const res = await fetch(`${srv.baseUrl}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: ['a', 'b', 'c', 'd', 'e'] }),
    });
    const json = (await res.json()) as { data: Array<{ index: number }> };
    expect(json.data.map((d) => d.index)).not.toEqual([0, 1, 2, 3, 4]);
    expect([...json.data.map((d) => d.index)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('omits dimensions and the auth header when not configured, and learns the width from the first response', async () => {
    const srv = await start({ defaultDimensions: 32, basePath: '/api/v1' });
    const provider = create(srv, { baseUrl: `${srv.baseUrl}/` });
    expect(provider.dimensions).toBe(0);

    const [v] = await provider.embed(['hello']);

    expect(srv.requests[0]!.path).toBe('/api/v1/embeddings');
    expect(srv.requests[0]!.body).not.toHaveProperty('dimensions');
    expect(srv.requests[0]!.headers['authorization']).toBeUndefined();
    expect(v).toHaveLength(32);
    expect(provider.version).toBe('openai:text-embedding-3-small:32');

    // Once learned, a different width is a mismatch.
    srv.handler = () => ({ status: 200, json: { data: [{ index: 0, embedding: [0.1, 0.2] }] } });
    const err = await rejection(provider.embed(['again']));
    expect(err.code).toBe('embedding_dimension_mismatch');
  });

  it('returns [] without calling the server for no texts', async () => {
    const srv = await start();
    await expect(create(srv).embed([])).resolves.toEqual([]);
    expect(srv.requests).toHaveLength(0);
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const srv = await start({
      defaultDimensions: 8,
      handler: (_req, call) =>
        call === 0 ? { status: 429, headers: { 'retry-after': '7' }, json: { error: { message: 'Rate limit reached' } } } : undefined,
    });
    const provider = create(srv);

    const vectors = await provider.embed(['a', 'b']);

    expect(vectors).toHaveLength(2);
    expect(srv.requests).toHaveLength(2);
    expect(sleeps).toEqual([7000]);
    expect(outcomes()).toEqual(['retry', 'success']);
    expect(calls[0]![1].status).toBe(429);
  });

  it('accepts Retry-After as an HTTP-date and caps it at 60s', async () => {
    const srv = await start({
      defaultDimensions: 8,
      handler: (_req, call) =>
        call === 0 ? { status: 503, headers: { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() } } : undefined,
    });
    await create(srv).embed(['a']);
    expect(sleeps).toEqual([60_000]);
  });

  it('retries 5xx with exponential full-jitter backoff, then succeeds', async () => {
    const srv = await start({
      defaultDimensions: 8,
      handler: (_req, call) => (call < 2 ? { status: 500, json: { error: { message: 'internal' } } } : undefined),
    });
    const provider = create(srv, {}, () => 0.5);

    await expect(provider.embed(['x'])).resolves.toHaveLength(1);

    expect(srv.requests).toHaveLength(3);
    // random 0.5 of ceilings 500ms and 1000ms.
    expect(sleeps).toEqual([250, 500]);
    expect(outcomes()).toEqual(['retry', 'retry', 'success']);
  });

  it('really waits with the default sleep', async () => {
    const srv = await start({
      defaultDimensions: 8,
      handler: (_req, call) => (call === 0 ? { status: 502, headers: { 'retry-after': '0' } } : undefined),
    });
    const provider = new OpenAiEmbeddingProvider({ provider: 'openai', baseUrl: srv.baseUrl, model: 'm' });
    await expect(provider.embed(['x'])).resolves.toHaveLength(1);
    expect(srv.requests).toHaveLength(2);
  });

  it('gives up on persistent 429 with embedding_rate_limited after maxRetries', async () => {
    const srv = await start({ handler: () => ({ status: 429, json: { error: { message: 'slow down' } } }) });
    const provider = create(srv, { maxRetries: 2 });

    const err = await rejection(provider.embed(['x']));

    expect(err.code).toBe('embedding_rate_limited');
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/429.*slow down.*2 retries/);
    expect(srv.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(outcomes()).toEqual(['retry', 'retry', 'failure']);
  });

  it('sends up to `concurrency` requests at once and still returns the vectors in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const srv = await start({
      shuffle: true,
      handler: async (_req, _call, reply) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 30));
        inFlight--;
        return reply();
      },
    });
    const texts = Array.from({ length: 10 * 8 }, (_, i) => `text ${i}`);
    const vectors = await create(srv, { dimensions: 16, batchSize: 8, concurrency: 3 }).embed(texts);
    expect(srv.requests).toHaveLength(10);
    expect(most).toBe(3);
    expect(vectors).toEqual(await new HashEmbeddingProvider(16).embed(texts));
  });

  it('stops the other requests when one fails for good, and throws that failure', async () => {
    const srv = await start({
      handler: (req) =>
        (req.body as { input: string[] }).input[0] === 'b2' ? { status: 400, json: { error: { message: 'bad input' } } } : undefined,
    });
    const texts = Array.from({ length: 40 }, (_, i) => `b${Math.floor(i / 4)}`);
    const err = await rejection(create(srv, { dimensions: 16, batchSize: 4, concurrency: 2 }).embed(texts));
    expect(err.status).toBe(400);
    expect(srv.requests.length).toBeLessThan(10);
  });

  it('gives up on persistent 5xx with embedding_provider_error', async () => {
    const srv = await start({ handler: () => ({ status: 503, text: 'upstream unavailable' }) });
    const err = await rejection(create(srv, { maxRetries: 1 }).embed(['x']));
    expect(err.code).toBe('embedding_provider_error');
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(503);
    expect(srv.requests).toHaveLength(2);
  });

  it('does not retry when maxRetries is 0', async () => {
    const srv = await start({ handler: () => ({ status: 500 }) });
    const err = await rejection(create(srv, { maxRetries: 0 }).embed(['x']));
    expect(err.code).toBe('embedding_provider_error');
    expect(srv.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('fails a 400 immediately, without leaking the input text or the API key', async () => {
    const secretText = 'Patient John Doe, diagnosis: confidential oncology report from 2024';
    const apiKey = 'sk-live-abcdef0123456789';
    const srv = await start({
      handler: (req) => {
        const { input } = req.body as { input: string[] };
        return {
          status: 400,
          json: { error: { message: `Invalid input '${input[0]}' (used key ${apiKey})`, type: 'invalid_request_error' } },
        };
      },
    });
    const provider = create(srv, { apiKey });

    const err = await rejection(provider.embed([secretText]));

    expect(err.code).toBe('embedding_provider_error');
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(400);
    expect(err.message).toContain('400');
    expect(err.message).toContain('Invalid input');
    expect(err.message).not.toContain(secretText);
    expect(err.message).not.toContain('John Doe');
    expect(err.message).not.toContain(apiKey);
    expect(srv.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(outcomes()).toEqual(['failure']);
  });

  it('reports a wrong API key as a non-retryable 401 with the provider message', async () => {
    const srv = await start({ apiKey: 'right' });
    const err = await rejection(create(srv, { apiKey: 'wrong' }).embed(['x']));
    expect(err.status).toBe(401);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('Incorrect API key provided');
    expect(srv.requests).toHaveLength(1);
  });

  it('truncates long provider messages to 300 characters', async () => {
    const srv = await start({ handler: () => ({ status: 422, json: { error: { message: 'e'.repeat(2000) } } }) });
    const err = await rejection(create(srv).embed(['x']));
    const detail = err.message.replace(/^Embedding provider returned HTTP 422: /, '');
    expect(detail.length).toBeLessThanOrEqual(300);
    expect(detail.length).toBeGreaterThan(250);
  });

  it.each([
    ['a non-JSON body', { status: 200, text: 'OK' }],
    ['a missing data array', { status: 200, json: { object: 'list' } }],
    ['too few embeddings', { status: 200, json: { data: [{ index: 0, embedding: [1, 2] }] } }],
    [
      'a non-numeric embedding',
      {
        status: 200,
        json: {
          data: [
            { index: 0, embedding: [1, 'x'] },
            { index: 1, embedding: [1, 2] },
          ],
        },
      },
    ],
    [
      'a base64 embedding',
      {
        status: 200,
        json: {
          data: [
            { index: 0, embedding: 'AAAA' },
            { index: 1, embedding: [1, 2] },
          ],
        },
      },
    ],
    [
      'duplicate indexes',
      {
        status: 200,
        json: {
          data: [
            { index: 0, embedding: [1, 2] },
            { index: 0, embedding: [1, 2] },
          ],
        },
      },
    ],
    [
      'an out-of-range index',
      {
        status: 200,
        json: {
          data: [
            { index: 0, embedding: [1, 2] },
            { index: 5, embedding: [1, 2] },
          ],
        },
      },
    ],
  ])('rejects %s as embedding_bad_response without retrying', async (_name, reply) => {
    const srv = await start({ handler: () => reply });
    const err = await rejection(create(srv).embed(['one', 'two']));
    expect(err.code).toBe('embedding_bad_response');
    expect(err.retryable).toBe(false);
    expect(srv.requests).toHaveLength(1);
    expect(outcomes()).toEqual(['failure']);
  });

  it('uses array order when a server omits index', async () => {
    const srv = await start({
      handler: () => ({ status: 200, json: { data: [{ embedding: [1, 0] }, { embedding: [0, 1] }] } }),
    });
    await expect(create(srv).embed(['one', 'two'])).resolves.toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('rejects vectors whose length differs from the configured dimensions', async () => {
    // The server ignores the requested dimensions, as some compatible servers do.
    const srv = await start({
      handler: async (req, _call, defaultReply) => {
        (req.body as { dimensions?: number }).dimensions = undefined;
        return defaultReply();
      },
      defaultDimensions: 8,
    });
    const err = await rejection(create(srv, { dimensions: 16 }).embed(['x']));
    expect(err.code).toBe('embedding_dimension_mismatch');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('expected 16, got 8');
  });

  it('times out a request that never answers and retries it', async () => {
    const srv = await start({ handler: () => ({ hang: true }) });
    const provider = create(srv, { timeoutMs: 100, maxRetries: 1 });

    const started = Date.now();
    const err = await rejection(provider.embed(['x']));

    expect(err.code).toBe('embedding_timeout');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('100 ms');
    expect(srv.requests).toHaveLength(2);
    expect(outcomes()).toEqual(['retry', 'failure']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('treats connection failures as retryable provider errors', async () => {
    const srv = await start();
    const baseUrl = srv.baseUrl;
    await srv.close();
    server = undefined;
    const provider = new OpenAiEmbeddingProvider(
      { provider: 'openai', baseUrl, model: 'm', maxRetries: 2 },
      { sleep: async (ms) => void sleeps.push(ms) },
    );

    const err = await rejection(provider.embed(['x']));

    expect(err.code).toBe('embedding_provider_error');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/network error \(ECONNREFUSED\)/);
    expect(sleeps).toHaveLength(2);
  });

  it('stops on caller abort with the caller reason and no retries', async () => {
    const srv = await start({ handler: () => ({ hang: true }) });
    const provider = create(srv, { timeoutMs: 10_000 });
    const ac = new AbortController();
    const reason = new Error('request cancelled by client');
    setTimeout(() => ac.abort(reason), 50);

    await expect(provider.embed(['x'], { signal: ac.signal })).rejects.toBe(reason);
    expect(srv.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('does not start when the signal is already aborted', async () => {
    const srv = await start();
    const ac = new AbortController();
    ac.abort();
    await expect(create(srv).embed(['x'], { signal: ac.signal })).rejects.toThrow();
    expect(srv.requests).toHaveLength(0);
  });

  it('uses the api-key header and api-version query in Azure mode', async () => {
    const srv = await start({ basePath: '/openai/deployments/embed-small', apiKey: 'azure-key', defaultDimensions: 8 });
    const provider = create(srv, { apiKey: 'azure-key', azureApiVersion: '2024-10-21' });

    await expect(provider.embed(['x'])).resolves.toHaveLength(1);

    const [req] = srv.requests;
    expect(req!.path).toBe('/openai/deployments/embed-small/embeddings');
    expect(req!.query.get('api-version')).toBe('2024-10-21');
    expect(req!.headers['api-key']).toBe('azure-key');
    expect(req!.headers['authorization']).toBeUndefined();
  });

  it('ignores a metrics hook that throws', async () => {
    const srv = await start({ defaultDimensions: 8 });
    const provider = new OpenAiEmbeddingProvider({
      provider: 'openai',
      baseUrl: srv.baseUrl,
      model: 'm',
      onCall: () => {
        throw new Error('metrics down');
      },
    });
    await expect(provider.embed(['x'])).resolves.toHaveLength(1);
  });
});
