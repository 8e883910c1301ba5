import { Chunk } from '@datafactory/chunking';
import { AppError, ErrorCode } from '@datafactory/contracts';
import { DocumentsRepository } from '@datafactory/ingest-data';
import { toVectorLiteral } from '@datafactory/db';
import { EmbeddingError, EmbeddingProvider } from '@datafactory/embedding';

/** A document of a group, by its position in the group's input. */
export interface EmbeddingTarget {
  index: number;
  chunks: Chunk[];
}

export interface Embedded {
  /** pgvector literals by chunk hash. */
  vectors: Map<string, string>;
  /** Documents (by input index) the provider refused. */
  rejected: Map<number, AppError>;
  /** The provider failed (not a refusal) from this position of the targets on: write what comes before it, then throw. */
  blocked?: { at: number; error: AppError };
}

/**
 * Embeds a write group's chunks that the cache lacks, in one pass across its documents (the provider batches and
 * parallelises the requests). When that pass fails, the documents are embedded one by one, in order, to find whose
 * input it was: a document the provider refuses (a 4xx) fails alone; at the first other failure the group stops.
 */
export class GroupEmbedder {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly embedder: EmbeddingProvider,
  ) {}

  async embedMissing(targets: EmbeddingTarget[]): Promise<Embedded> {
    const byHash = new Map(targets.flatMap((t) => t.chunks.map((c) => [c.hash, c.text] as const)));
    const cached = await this.documents.existingEmbeddings(this.embedder.version, [...byHash.keys()]);
    const embedded: Embedded = { vectors: new Map(), rejected: new Map() };
    const embed = async (chunks: Iterable<readonly [string, string]>): Promise<void> => {
      const missing = [...chunks].filter(([hash]) => !cached.has(hash) && !embedded.vectors.has(hash));
      if (missing.length === 0) return;
      const out = await this.embedder.embed(missing.map(([, text]) => text));
      missing.forEach(([hash], i) => embedded.vectors.set(hash, toVectorLiteral(out[i] as number[])));
    };
    try {
      await embed(byHash);
      return embedded;
    } catch (error) {
      // With one document the pass's failure is its own; with several, find out whose it is below.
      if (targets.length === 1) return failed(embedded, 0, targets[0] as EmbeddingTarget, error);
    }
    for (const [at, target] of targets.entries()) {
      try {
        await embed(new Map(target.chunks.map((c) => [c.hash, c.text] as const)));
      } catch (error) {
        const outcome = failed(embedded, at, target, error);
        if (outcome.blocked) return outcome;
      }
    }
    return embedded;
  }
}

/** Records a refusal against its document, or stops the group at it for any other failure. */
function failed(embedded: Embedded, at: number, target: EmbeddingTarget, error: unknown): Embedded {
  const mapped = embeddingError(error);
  if (mapped.code !== ErrorCode.EmbeddingRejected) return { ...embedded, blocked: { at, error: mapped } };
  embedded.rejected.set(target.index, mapped);
  return embedded;
}

/** The provider's error as the ingest path reports it; anything that is not a provider error is rethrown. */
function embeddingError(error: unknown): AppError {
  if (!(error instanceof EmbeddingError)) throw error;
  // The provider refused this input (e.g. too long for the model): retrying will not help.
  const rejected =
    !error.retryable && error.status !== undefined && error.status >= 400 && error.status < 500 && ![401, 403, 404].includes(error.status);
  return new AppError(
    rejected ? ErrorCode.EmbeddingRejected : ErrorCode.EmbeddingFailed,
    rejected ? `the embedding provider rejected this document: ${error.message}` : `the embedding provider failed: ${error.message}`,
    { details: { provider_code: error.code, retryable: error.retryable }, cause: error },
  );
}
