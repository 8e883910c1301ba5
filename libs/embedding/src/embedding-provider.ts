export interface EmbedOptions {
  signal?: AbortSignal;
}

export interface EmbeddingProvider {
  /** 'hash' | 'openai' */
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number;
  /** embeddingVersion(provider, model, dimensions); stored next to every vector. */
  readonly version: string;
  /** One vector per text, in input order. Providers batch internally. */
  embed(texts: readonly string[], opts?: EmbedOptions): Promise<number[][]>;
}

/**
 * Identifies the vector space a vector lives in. Vectors with different versions must never be
 * compared, so this string is what decides whether a re-embed is needed.
 */
export function embeddingVersion(provider: string, model: string, dimensions: number): string {
  return `${provider}:${model}:${dimensions}`;
}
