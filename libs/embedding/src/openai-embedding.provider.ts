import { setTimeout as delay } from 'node:timers/promises';
import { mapInLanes } from './map-in-lanes';
import { type EmbedOptions, type EmbeddingProvider, embeddingVersion } from './embedding-provider';
import { EmbeddingError } from './embedding.errors';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type EmbeddingCallInfo,
  type EmbeddingCallOutcome,
  type EmbeddingSettings,
} from './embedding.settings';
import { extractProviderMessage, sanitizeProviderMessage } from './provider-error-message';
import { backoffDelayMs, parseRetryAfterMs } from './retry-policy';

export interface OpenAiEmbeddingDeps {
  /** Replaces the real wait between retries (tests). The signal is the caller's, if any. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

type Attempt =
  { ok: true; vectors: number[][]; status: number } | { ok: false; error: EmbeddingError; status?: number; retryAfterMs?: number };

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (err) {
    // Surface the caller's own abort reason rather than the timers module's AbortError.
    signal?.throwIfAborted();
    throw err;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requireInt(value: number | undefined, fallback: number, min: number, name: string, env: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`Invalid embedding setting ${name} (${env}): expected an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function networkErrorDetail(err: unknown): string {
  // undici reports "fetch failed" with the useful part (ECONNREFUSED, ...) in `cause`. Duck-typed
  // rather than instanceof: the error may come from another realm (vm contexts, Jest).
  const cause = isRecord(err) ? err['cause'] : undefined;
  if (isRecord(cause) && typeof cause['code'] === 'string') return cause['code'];
  if (isRecord(cause) && typeof cause['message'] === 'string') return cause['message'];
  if (isRecord(err) && typeof err['message'] === 'string') return err['message'];
  return String(err);
}

/**
 * Client for any OpenAI-compatible `/embeddings` endpoint (OpenAI, Azure OpenAI, Ollama, vLLM,
 * TEI, LiteLLM, ...). Batches run sequentially so a tenant's ingest cannot flood the provider,
 * and results are reassembled in input order.
 */
export class OpenAiEmbeddingProvider implements EmbeddingProvider {
  readonly provider = 'openai';
  readonly model: string;
  private readonly configuredDimensions: number | undefined;
  private learnedDimensions: number | undefined;
  private readonly endpoint: string;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly onCall: EmbeddingSettings['onCall'];
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(settings: EmbeddingSettings, deps: OpenAiEmbeddingDeps = {}) {
    const baseUrl = settings.baseUrl?.trim();
    if (!baseUrl) {
      throw new Error('EMBEDDING_BASE_URL is required for the openai embedding provider (e.g. http://127.0.0.1:11434/v1)');
    }
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new Error('EMBEDDING_BASE_URL is not a valid URL (expected http:// or https://)');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`EMBEDDING_BASE_URL must use http or https, got ${url.protocol.replace(/:$/, '')}`);
    }
    const model = settings.model?.trim();
    if (!model) throw new Error('EMBEDDING_MODEL is required for the openai embedding provider');

    this.model = model;
    this.configuredDimensions =
      settings.dimensions === undefined ? undefined : requireInt(settings.dimensions, 0, 1, 'dimensions', 'EMBEDDING_DIMENSIONS');
    this.batchSize = requireInt(settings.batchSize, DEFAULT_BATCH_SIZE, 1, 'batchSize', 'EMBEDDING_BATCH_SIZE');
    this.concurrency = requireInt(settings.concurrency, DEFAULT_CONCURRENCY, 1, 'concurrency', 'EMBEDDING_CONCURRENCY');
    this.maxRetries = requireInt(settings.maxRetries, DEFAULT_MAX_RETRIES, 0, 'maxRetries', 'EMBEDDING_MAX_RETRIES');
    this.timeoutMs = requireInt(settings.timeoutMs, DEFAULT_TIMEOUT_MS, 1, 'timeoutMs', 'EMBEDDING_TIMEOUT_MS');

    // Built on the URL object so a base URL that already carries a query string stays valid.
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/embeddings`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const apiKey = settings.apiKey?.trim();
    if (settings.azureApiVersion) {
      url.searchParams.set('api-version', settings.azureApiVersion);
      if (apiKey) headers['api-key'] = apiKey;
    } else if (apiKey) {
      headers['authorization'] = `Bearer ${apiKey}`;
    }
    this.endpoint = url.toString();
    this.headers = headers;
    this.secrets = apiKey ? [apiKey] : [];
    this.onCall = settings.onCall;
    this.sleep = deps.sleep ?? defaultSleep;
    this.random = deps.random ?? Math.random;
  }

  /**
   * The configured dimensions, or, when none were configured, the length of the first vector the
   * provider returned (0 before the first successful call). Configure dimensions in production so
   * `version` is known before anything is embedded.
   */
  get dimensions(): number {
    return this.configuredDimensions ?? this.learnedDimensions ?? 0;
  }

  get version(): string {
    return embeddingVersion(this.provider, this.model, this.dimensions);
  }

  /**
   * Splits the texts into requests of `batchSize` and sends up to `concurrency` of them at once; the vectors come
   * back in input order. The first request that fails for good aborts the rest and is thrown.
   */
  async embed(texts: readonly string[], opts: EmbedOptions = {}): Promise<number[][]> {
    opts.signal?.throwIfAborted();
    const batches: Array<readonly string[]> = [];
    for (let start = 0; start < texts.length; start += this.batchSize) batches.push(texts.slice(start, start + this.batchSize));
    const vectors = await mapInLanes(batches, this.concurrency, (batch, signal) => this.embedBatch(batch, signal), opts.signal);
    return vectors.flat();
  }

  private async embedBatch(batch: readonly string[], signal: AbortSignal | undefined): Promise<number[][]> {
    for (let retry = 0; ; retry++) {
      signal?.throwIfAborted();
      const started = performance.now();
      const attempt = await this.attempt(batch, signal);
      const info: EmbeddingCallInfo = { batchSize: batch.length, durationMs: performance.now() - started };
      if (attempt.status !== undefined) info.status = attempt.status;

      if (attempt.ok) {
        this.report('success', info);
        return attempt.vectors;
      }
      const { error } = attempt;
      if (!error.retryable) {
        this.report('failure', info);
        throw error;
      }
      if (retry >= this.maxRetries) {
        this.report('failure', info);
        if (this.maxRetries === 0) throw error;
        throw new EmbeddingError(error.code, `${error.message} (gave up after ${this.maxRetries} retries)`, {
          retryable: true,
          ...(error.status === undefined ? {} : { status: error.status }),
          cause: error.cause,
        });
      }
      this.report('retry', info);
      await this.sleep(attempt.retryAfterMs ?? backoffDelayMs(retry, this.random), signal);
    }
  }

  /** One HTTP round trip. Returns failures instead of throwing so the retry loop stays flat. */
  private async attempt(batch: readonly string[], callerSignal: AbortSignal | undefined): Promise<Attempt> {
    const body: Record<string, unknown> = { model: this.model, input: batch, encoding_format: 'float' };
    if (this.configuredDimensions !== undefined) body['dimensions'] = this.configuredDimensions;

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let status: number;
    let retryAfter: string | null;
    let text: string;
    try {
      const res = await fetch(this.endpoint, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify(body),
        signal,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      // Reading the body is inside the same try: the timeout covers slow bodies too.
      text = await res.text();
    } catch (err) {
      // The caller cancelled: not a provider problem, never retried, rethrown as the caller's reason.
      callerSignal?.throwIfAborted();
      if (timeout.aborted) {
        return {
          ok: false,
          error: new EmbeddingError('embedding_timeout', `Embedding request timed out after ${this.timeoutMs} ms`, {
            retryable: true,
            cause: err,
          }),
        };
      }
      return {
        ok: false,
        error: new EmbeddingError('embedding_provider_error', `Embedding request failed: network error (${networkErrorDetail(err)})`, {
          retryable: true,
          cause: err,
        }),
      };
    }

    if (status < 200 || status >= 300) {
      const detail = extractProviderMessage(text);
      const safe = detail === undefined ? '' : sanitizeProviderMessage(detail, this.secrets, batch);
      const message = `Embedding provider returned HTTP ${status}${safe ? `: ${safe}` : ''}`;
      const retryable = status === 429 || status >= 500;
      const code = status === 429 ? 'embedding_rate_limited' : 'embedding_provider_error';
      const failure: Attempt = { ok: false, status, error: new EmbeddingError(code, message, { retryable, status }) };
      if (retryable) {
        const retryAfterMs = parseRetryAfterMs(retryAfter);
        if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
      }
      return failure;
    }

    const vectors = this.parseResponse(text, batch.length, status);
    if (vectors instanceof EmbeddingError) return { ok: false, status, error: vectors };
    return { ok: true, status, vectors };
  }

  private parseResponse(text: string, expected: number, status: number): number[][] | EmbeddingError {
    const bad = (why: string): EmbeddingError =>
      new EmbeddingError('embedding_bad_response', `Malformed embeddings response: ${why}`, { retryable: false, status });

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return bad('body is not JSON');
    }
    if (!isRecord(json) || !Array.isArray(json['data'])) return bad('missing "data" array');
    const data: unknown[] = json['data'];
    if (data.length !== expected) return bad(`expected ${expected} embeddings, got ${data.length}`);

    const ordered = new Array<number[] | undefined>(expected);
    let width = this.configuredDimensions ?? this.learnedDimensions;
    for (let pos = 0; pos < data.length; pos++) {
      const item = data[pos];
      if (!isRecord(item)) return bad(`data[${pos}] is not an object`);
      // Some compatible servers omit `index`; then array position is the only order there is.
      const index = item['index'] === undefined ? pos : item['index'];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expected) {
        return bad(`data[${pos}].index is invalid`);
      }
      if (ordered[index] !== undefined) return bad(`duplicate index ${index}`);
      const embedding = item['embedding'];
      if (!Array.isArray(embedding) || embedding.length === 0) return bad(`data[${pos}].embedding is not a non-empty array`);
      const vector: number[] = [];
      for (const x of embedding as unknown[]) {
        if (typeof x !== 'number' || !Number.isFinite(x)) return bad(`data[${pos}].embedding contains a non-numeric value`);
        vector.push(x);
      }
      width ??= vector.length;
      if (vector.length !== width) {
        return new EmbeddingError(
          'embedding_dimension_mismatch',
          `Embedding dimension mismatch: expected ${width}, got ${vector.length} (model ${this.model})`,
          { retryable: false, status },
        );
      }
      ordered[index] = vector;
    }

    // Lock the width only once a whole response validated, so one bad reply cannot set it.
    this.learnedDimensions ??= width;
    return ordered as number[][];
  }

  private report(outcome: EmbeddingCallOutcome, info: EmbeddingCallInfo): void {
    if (!this.onCall) return;
    try {
      this.onCall(outcome, info);
    } catch {
      // A broken metrics hook must not fail ingestion.
    }
  }
}
