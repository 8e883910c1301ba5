/**
 * The bench's embedding server, in a worker thread so that hashing vectors does not share an event loop
 * with the in-process peer it feeds. It is the repository's fake OpenAI-compatible server (feature-hashing
 * vectors, so similar texts get similar vectors), answering base64 when a client asks for it, as the real
 * API does: the OpenAI SDK under LangChain.js asks for base64 by default, DataFactory asks for floats.
 */
import { parentPort } from 'node:worker_threads';
import { type FakeReply, startFakeOpenAiServer } from '../../../libs/embedding/src/testing/fake-openai-server';
import type { EmbeddingServerMessage, EmbeddingServerReply } from './embedding-server';

interface EmbeddingsReplyBody {
  data: { embedding: number[] | string }[];
}

function toBase64(vector: readonly number[]): string {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('embedding-server.worker must run as a worker thread');
  let requests = 0;
  let texts = 0;
  const server = await startFakeOpenAiServer({
    defaultDimensions: 384,
    handler: async (req, _call, defaultReply): Promise<FakeReply> => {
      // The fake records every request body for tests; a bench sends gigabytes, so keep none.
      server.requests.length = 0;
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { input?: unknown; encoding_format?: unknown };
      requests += 1;
      texts += Array.isArray(body.input) ? body.input.length : 1;
      const reply = await defaultReply();
      if (body.encoding_format === 'base64' && 'json' in reply && reply.status === 200) {
        const json = reply.json as EmbeddingsReplyBody;
        for (const item of json.data) if (Array.isArray(item.embedding)) item.embedding = toBase64(item.embedding);
      }
      return reply;
    },
  });
  port.on('message', (message: EmbeddingServerMessage) => {
    if (message.type === 'stats') {
      port.postMessage({ type: 'stats', id: message.id, requests, texts } satisfies EmbeddingServerReply);
    } else {
      void server.close().finally(() => port.postMessage({ type: 'closed' } satisfies EmbeddingServerReply));
    }
  });
  port.postMessage({ type: 'ready', baseUrl: server.baseUrl } satisfies EmbeddingServerReply);
}

main().catch((error: unknown) => {
  // An uncaught error ends the worker with an 'error' event in the main thread.
  throw error;
});
