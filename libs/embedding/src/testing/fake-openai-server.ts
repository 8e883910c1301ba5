import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HashEmbeddingProvider } from '../hash-embedding.provider';

/** One request as the fake server saw it. */
export interface FakeEmbeddingsRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw string when it was not JSON. */
  body: unknown;
}

export type FakeReply =
  | { status: number; headers?: Record<string, string>; json?: unknown; text?: string }
  /** Never answer (for timeout tests); the connection is destroyed on close(). */
  | { hang: true };

/**
 * Per-request override. `call` counts requests to the server from 0. Return undefined to fall
 * through to the default OpenAI-like behaviour; `defaultReply` computes that reply for reuse.
 */
export type FakeHandler = (
  req: FakeEmbeddingsRequest,
  call: number,
  defaultReply: () => Promise<FakeReply>,
) => FakeReply | undefined | Promise<FakeReply | undefined>;

export interface FakeOpenAiServerOptions {
  /** Used when the request carries no `dimensions`; default 384. */
  defaultDimensions?: number;
  /** When set, requests must carry `Authorization: Bearer <key>` or `api-key: <key>`, else 401. */
  apiKey?: string;
  /** Return `data` in a scrambled (deterministic) order, as clients must sort by `index`. */
  shuffle?: boolean;
  /** Prefix of the embeddings route; default '/v1'. `baseUrl` includes it. */
  basePath?: string;
  handler?: FakeHandler;
}

export interface FakeOpenAiServer {
  /** e.g. http://127.0.0.1:41234/v1 — use as EMBEDDING_BASE_URL. */
  readonly baseUrl: string;
  readonly requests: FakeEmbeddingsRequest[];
  handler: FakeHandler | undefined;
  close(): Promise<void>;
}

const errorReply = (status: number, message: string, type = 'invalid_request_error'): FakeReply => ({
  status,
  json: { error: { message, type, param: null, code: null } },
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Deterministic permutation so shuffled responses are reproducible between runs.
function scramble<T>(items: T[]): T[] {
  return items
    .map((item, i) => ({ item, key: Math.imul(i + 1, 0x9e3779b1) >>> 0 }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

/**
 * A local stand-in for an OpenAI-compatible embeddings API on 127.0.0.1 (random port). By default
 * it answers like the real API, with vectors from the hash provider so that similar texts get
 * similar vectors end to end. Every request is recorded in `requests`.
 */
export async function startFakeOpenAiServer(options: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const defaultDimensions = options.defaultDimensions ?? 384;
  const requests: FakeEmbeddingsRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const defaultReply = async (req: FakeEmbeddingsRequest): Promise<FakeReply> => {
    if (req.method !== 'POST' || req.path !== `${basePath}/embeddings`) return errorReply(404, 'Not found');
    if (options.apiKey !== undefined) {
      const bearer = req.headers['authorization'];
      const azureKey = req.headers['api-key'];
      if (bearer !== `Bearer ${options.apiKey}` && azureKey !== options.apiKey) {
        return errorReply(401, 'Incorrect API key provided', 'invalid_api_key');
      }
    }
    const body = req.body;
    if (typeof body !== 'object' || body === null) return errorReply(400, 'Body must be a JSON object');
    const { model, input, dimensions } = body as Record<string, unknown>;
    if (typeof model !== 'string' || model === '') return errorReply(400, "'model' is required");
    const inputs = typeof input === 'string' ? [input] : input;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((t) => typeof t === 'string')) {
      return errorReply(400, "'input' must be a string or a non-empty array of strings");
    }
    const dims = dimensions === undefined ? defaultDimensions : dimensions;
    if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 8 || dims > 4096) {
      return errorReply(400, "'dimensions' must be an integer in 8..4096");
    }
    const vectors = await new HashEmbeddingProvider(dims).embed(inputs as string[]);
    let data = vectors.map((embedding, index) => ({ object: 'embedding', index, embedding }));
    if (options.shuffle) data = scramble(data);
    const tokens = (inputs as string[]).reduce((n, t) => n + Math.ceil(t.length / 4), 0);
    return { status: 200, json: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
  };

  const send = (res: ServerResponse, reply: FakeReply): void => {
    if ('hang' in reply) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let payload = '';
    if (reply.json !== undefined) {
      payload = JSON.stringify(reply.json);
      headers['content-type'] ??= 'application/json';
    } else if (reply.text !== undefined) {
      payload = reply.text;
      headers['content-type'] ??= 'text/plain';
    }
    res.writeHead(reply.status, headers).end(payload);
  };

  let calls = 0;
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const raw = await readBody(req);
        let body: unknown = raw;
        try {
          body = raw === '' ? undefined : JSON.parse(raw);
        } catch {
          // keep the raw string so tests can inspect it
        }
        const url = new URL(req.url ?? '/', 'http://localhost');
        const recorded: FakeEmbeddingsRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
        };
        requests.push(recorded);
        const call = calls++;
        const fallback = (): Promise<FakeReply> => defaultReply(recorded);
        const reply = (await fake.handler?.(recorded, call, fallback)) ?? (await fallback());
        send(res, reply);
      } catch (err) {
        if (!res.headersSent) send(res, errorReply(500, `fake server error: ${String(err)}`, 'server_error'));
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const fake: FakeOpenAiServer = {
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    requests,
    handler: options.handler,
    close: async () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
  return fake;
}
