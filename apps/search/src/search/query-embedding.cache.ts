import { createHash } from 'node:crypto';

/**
 * Small LRU of query embeddings (keyed by a hash of the query, not the text), so repeated queries
 * skip the provider. Per process; entries expire after `ttlMs`.
 */
export class QueryEmbeddingCache {
  private readonly entries = new Map<string, { vector: string; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  static key(version: string, query: string): string {
    return createHash('sha256').update(version).update('\u0000').update(query).digest('base64url');
  }

  get(key: string, now = Date.now()): string | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (now - hit.at > this.ttlMs) return undefined;
    this.entries.set(key, hit); // most recently used goes last
    return hit.vector;
  }

  set(key: string, vector: string, now = Date.now()): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { vector, at: now });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
