import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export type EmbeddingServerMessage = { type: 'stats'; id: number } | { type: 'close' };
export type EmbeddingServerReply =
  { type: 'ready'; baseUrl: string } | { type: 'stats'; id: number; requests: number; texts: number } | { type: 'closed' };

export interface EmbeddingServerStats {
  /** HTTP requests to the embeddings route so far. */
  requests: number;
  /** Texts embedded so far (inputs over all requests). */
  texts: number;
}

/** Model name both systems send; the fake accepts any. */
export const BENCH_EMBEDDING_MODEL = 'bench-fh-v1';
export const BENCH_DIMENSIONS = 384;

/** The deterministic OpenAI-compatible embedding server both systems use (see embedding-server.worker.ts). */
export class EmbeddingServer {
  private nextId = 0;

  private constructor(
    private readonly worker: Worker,
    /** e.g. http://127.0.0.1:41234/v1 */
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<EmbeddingServer> {
    const worker = new Worker(join(__dirname, 'embedding-server.worker.js'));
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const onMessage = (message: EmbeddingServerReply): void => {
        if (message.type !== 'ready') return;
        worker.off('error', reject);
        worker.off('message', onMessage);
        resolve(message.baseUrl);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new EmbeddingServer(worker, baseUrl);
  }

  async stats(): Promise<EmbeddingServerStats> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onMessage = (message: EmbeddingServerReply): void => {
        if (message.type !== 'stats' || message.id !== id) return;
        this.worker.off('message', onMessage);
        resolve({ requests: message.requests, texts: message.texts });
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage({ type: 'stats', id } satisfies EmbeddingServerMessage);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.worker.once('message', () => resolve());
      this.worker.postMessage({ type: 'close' } satisfies EmbeddingServerMessage);
    });
    await this.worker.terminate();
  }
}
