/**
 * The corpus both systems ingest, and the labelled retrieval set:
 * - long documents (package docs from node_modules, several KB each) for time-to-searchable;
 * - Debian package descriptions, whose synopses are the labelled queries (and the latency queries).
 * Deterministic for the same lock files and the same cached Translation-en.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { deriveSeed } from '../../../lib/prng';
import { DebianPackage, DebianProvenance, loadDebianPackages } from './debian-descriptions';
import { findPackageDocs } from './package-docs';

/** `bucket` spreads documents evenly over 0..99, so `{bucket: n}` is a filter of about 1 % selectivity. */
export interface DocMetadata {
  source: 'debian' | 'npm-docs' | 'npm-types';
  bucket: number;
}

export interface BenchDoc {
  id: string;
  text: string;
  metadata: DocMetadata;
}

export type Split = 'dev' | 'holdout';

export interface LabelledQuery {
  query: string;
  /** The one document that answers it. */
  docId: string;
  /** By a hash of the package name: tune on dev, and check that holdout moves the same way. */
  split: Split;
}

export interface CorpusStats {
  documents: number;
  bytes: number;
  mean_bytes: number;
  by_source: Record<DocMetadata['source'], number>;
  labelled: Record<Split, number>;
  /** sha256 over the documents' ids and texts: equal fingerprints mean equal corpora. */
  fingerprint: string;
  debian: DebianProvenance;
  package_doc_candidates: number;
}

export interface BenchCorpus {
  docs: BenchDoc[];
  labelled: LabelledQuery[];
  /** Synopses not used as labelled queries, each to be used once (see QueryPool). */
  queryPool: string[];
  stats: CorpusStats;
}

export interface CorpusOptions {
  repoRoot: string;
  dataDir: string;
  /** Long documents. */
  longDocs: number;
  debianDocs: number;
  /** Labelled queries, taken from the Debian documents (at most debianDocs). */
  labelled: number;
}

const MIN_DESCRIPTION_CHARS = 300;
const MIN_SYNOPSIS_WORDS = 3;

const hashOf = (label: string): number => deriveSeed(0, label);
const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();
const bucketOf = (id: string): number => hashOf(`bucket:${id}`) % 100;

export function buildCorpus(opts: CorpusOptions): BenchCorpus {
  const candidates = findPackageDocs(opts.repoRoot, [
    join(opts.repoRoot, 'node_modules'),
    join(opts.repoRoot, 'bench/compare/node_modules'),
  ]);
  if (candidates.length < opts.longDocs) {
    throw new Error(`only ${candidates.length} package documents under node_modules, ${opts.longDocs} asked for (--docs)`);
  }
  const longDocs: BenchDoc[] = candidates
    .map((c) => ({ id: c.path, text: c.text, metadata: { source: c.kind, bucket: bucketOf(c.path) } }))
    .sort((a, b) => hashOf(a.id) - hashOf(b.id) || a.id.localeCompare(b.id))
    .slice(0, opts.longDocs);

  const { packages, provenance } = loadDebianPackages(opts.dataDir);
  const distinct = distinctPackages(packages);
  if (distinct.length < opts.debianDocs)
    throw new Error(`only ${distinct.length} usable Debian descriptions, ${opts.debianDocs} asked for (--debian-docs)`);
  const inCorpus = distinct.slice(0, opts.debianDocs);
  const debianDocs: BenchDoc[] = inCorpus.map((p) => {
    const id = `debian/${p.name}`;
    return { id, text: p.description, metadata: { source: 'debian', bucket: bucketOf(id) } };
  });
  const labelledCount = Math.min(opts.labelled, inCorpus.length);
  const labelled: LabelledQuery[] = inCorpus.slice(0, labelledCount).map((p) => ({
    query: p.synopsis,
    docId: `debian/${p.name}`,
    split: hashOf(`split:${p.name}`) % 2 === 0 ? 'dev' : 'holdout',
  }));
  // In-corpus synopses first (they have an answer), then those of packages left out.
  const queryPool = [...inCorpus.slice(labelledCount), ...distinct.slice(opts.debianDocs)].map((p) => p.synopsis);

  const docs = [...longDocs, ...debianDocs].sort((a, b) => hashOf(a.id) - hashOf(b.id) || a.id.localeCompare(b.id));
  return { docs, labelled, queryPool, stats: corpusStats(docs, labelled, provenance, candidates.length) };
}

/**
 * Usable descriptions in a fixed pseudo-random order, one per family: packages of one source often share
 * the first paragraph (foo, foo-data, foo-dev) or the synopsis, and a query would then have several right
 * answers. Only the first package of each family is kept.
 */
function distinctPackages(packages: readonly DebianPackage[]): DebianPackage[] {
  const ordered = packages
    .filter((p) => p.description.length >= MIN_DESCRIPTION_CHARS && p.synopsis.split(/\s+/).length >= MIN_SYNOPSIS_WORDS)
    .sort((a, b) => hashOf(a.name) - hashOf(b.name) || a.name.localeCompare(b.name));
  const families = new Set<string>();
  const out: DebianPackage[] = [];
  for (const p of ordered) {
    const firstParagraph = `p:${normalise(p.description.split(/\n\n/)[0] ?? '')}`;
    const synopsis = `s:${normalise(p.synopsis)}`;
    if (families.has(firstParagraph) || families.has(synopsis)) continue;
    families.add(firstParagraph);
    families.add(synopsis);
    out.push(p);
  }
  return out;
}

function corpusStats(
  docs: readonly BenchDoc[],
  labelled: readonly LabelledQuery[],
  debian: DebianProvenance,
  candidates: number,
): CorpusStats {
  const hash = createHash('sha256');
  const bySource: Record<DocMetadata['source'], number> = { debian: 0, 'npm-docs': 0, 'npm-types': 0 };
  let bytes = 0;
  for (const doc of docs) {
    hash.update(doc.id).update('\u0000').update(doc.text).update('\u0000');
    bySource[doc.metadata.source] += 1;
    bytes += Buffer.byteLength(doc.text);
  }
  return {
    documents: docs.length,
    bytes,
    mean_bytes: docs.length === 0 ? 0 : Math.round(bytes / docs.length),
    by_source: bySource,
    labelled: { dev: labelled.filter((q) => q.split === 'dev').length, holdout: labelled.filter((q) => q.split === 'holdout').length },
    fingerprint: hash.digest('hex'),
    debian,
    package_doc_candidates: candidates,
  };
}

/** Hands out queries, each once, so that no run warms a query-embedding cache for another. */
export class QueryPool {
  private next = 0;

  constructor(private readonly queries: readonly string[]) {}

  take(n: number): string[] {
    if (this.next + n > this.queries.length)
      throw new Error(`the query pool has ${this.queries.length - this.next} queries left, ${n} asked for`);
    const out = this.queries.slice(this.next, this.next + n);
    this.next += n;
    return out;
  }
}
