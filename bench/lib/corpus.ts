import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { createRng, deriveSeed, Rng } from './prng';
import { CATEGORIES, FIRST_YEAR, LAST_YEAR, VOCABULARY } from './vocabulary';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One document as sent to POST /v1/docs/upsert (without the namespace). */
export interface BenchDocument {
  doc_id: string;
  text: string;
  title?: string;
  metadata?: Record<string, JsonValue>;
}

export interface Corpus {
  source: 'synthetic' | 'folder' | 'jsonl';
  documents: BenchDocument[];
  /** Files of a folder input that were left out because they hold only whitespace. */
  skipped: string[];
}

// ---------------------------------------------------------------------------------------------
// Synthetic corpus

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** Skewed towards the start of the vocabulary, so some words are common and others rare. */
const pickWord = (rng: Rng): string => VOCABULARY[Math.floor(rng.next() ** 2 * VOCABULARY.length)] as string;

const words = (rng: Rng, count: number): string[] => Array.from({ length: count }, () => pickWord(rng));

/**
 * Document `index` of the synthetic corpus: about `targetWords` words (±20%) in paragraphs of a few
 * sentences, a `#` title and a `##` heading every 2-4 paragraphs. Each document has its own PRNG
 * stream, so document i is the same whatever the corpus size.
 */
export function syntheticDocument(seed: number, index: number, targetWords: number): BenchDocument {
  const rng = createRng(deriveSeed(seed, 'doc', index));
  const title = words(rng, rng.int(3, 5)).map(capitalize).join(' ');
  const category = rng.pick(CATEGORIES);
  const year = rng.int(FIRST_YEAR, LAST_YEAR);
  const wordBudget = Math.max(1, Math.round(targetWords * (0.8 + 0.4 * rng.next())));

  const blocks: string[] = [`# ${title}`];
  let written = 0;
  let paragraphsUntilHeading = rng.int(2, 4);
  while (written < wordBudget) {
    if (paragraphsUntilHeading === 0) {
      blocks.push(`## ${words(rng, rng.int(2, 4)).map(capitalize).join(' ')}`);
      paragraphsUntilHeading = rng.int(2, 4);
    }
    const sentences: string[] = [];
    for (let s = rng.int(3, 6); s > 0 && written < wordBudget; s--) {
      const sentence = words(rng, Math.min(rng.int(6, 14), wordBudget - written));
      written += sentence.length;
      sentences.push(`${capitalize(sentence.join(' '))}.`);
    }
    blocks.push(sentences.join(' '));
    paragraphsUntilHeading--;
  }

  return {
    doc_id: `doc-${String(index).padStart(6, '0')}`,
    title,
    text: `${blocks.join('\n\n')}\n`,
    metadata: { category, year },
  };
}

export function syntheticCorpus(seed: number, docs: number, targetWords: number): Corpus {
  return { source: 'synthetic', documents: Array.from({ length: docs }, (_, i) => syntheticDocument(seed, i, targetWords)), skipped: [] };
}

// ---------------------------------------------------------------------------------------------
// Corpus from disk

/** A folder (every .txt/.md file below it, doc_id = relative path) or a .jsonl file. */
export async function loadCorpus(path: string): Promise<Corpus> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`--input ${path}: no such file or folder`);
  if (stat.isDirectory()) return loadFolder(path);
  if (path.toLowerCase().endsWith('.jsonl')) return loadJsonl(path);
  throw new Error(`--input ${path}: expected a folder or a .jsonl file`);
}

function loadFolder(root: string): Corpus {
  const documents: BenchDocument[] = [];
  const skipped: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && /\.(txt|md)$/i.test(entry.name)) {
        const docId = relative(root, full).split(sep).join('/');
        const text = readFileSync(full, 'utf8');
        if (text.trim().length === 0) skipped.push(docId);
        else documents.push({ doc_id: docId, text });
      }
    }
  };
  walk(root);
  if (documents.length === 0) throw new Error(`--input ${root}: no non-empty .txt or .md files found`);
  return { source: 'folder', documents, skipped };
}

async function loadJsonl(file: string): Promise<Corpus> {
  const documents: BenchDocument[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim().length === 0) continue;
    const where = `${file}:${lineNo}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (!isObject(value)) throw new Error(`${where}: expected a JSON object`);
    const { doc_id: docId, text, title, metadata } = value;
    if (typeof text !== 'string' || text.trim().length === 0) throw new Error(`${where}: "text" must be a non-empty string`);
    if (docId !== undefined && typeof docId !== 'string') throw new Error(`${where}: "doc_id" must be a string`);
    if (title !== undefined && typeof title !== 'string') throw new Error(`${where}: "title" must be a string`);
    if (metadata !== undefined && !isObject(metadata)) throw new Error(`${where}: "metadata" must be an object`);
    documents.push({
      doc_id: docId ?? `line-${lineNo}`,
      text,
      ...(title === undefined ? {} : { title }),
      ...(metadata === undefined ? {} : { metadata: metadata as Record<string, JsonValue> }),
    });
  }
  if (documents.length === 0) throw new Error(`--input ${file}: no documents`);
  return { source: 'jsonl', documents, skipped: [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Queries and filters

const STOP_WORDS = new Set(
  `about after again all also and any are because been before being between both but can could did does doing each few
  for from further had has have her here hers him his how into its just more most nor not off once only other our out over
  own same she should some such than that the their them then there these they this those too under until very was were
  what when where which while who why will with would you your`.split(/\s+/),
);

const WINDOW = 24;

/** Lower-case words of at least 3 letters that are not stop words, in text order. */
export function searchableWords(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (word.length >= 3 && !/^\p{N}+$/u.test(word) && !STOP_WORDS.has(word)) out.push(word);
  }
  return out;
}

/**
 * `count` queries of 2-4 distinct corpus words. Each takes its words from a window of nearby words
 * of a random document, so a keyword (AND) search usually has something to find, like a real user
 * who remembers a phrase. Deterministic for a given corpus and seed.
 */
export function buildQueries(documents: readonly BenchDocument[], count: number, rng: Rng): string[] {
  const tokens = new Map<number, string[]>();
  const tokensOf = (i: number): string[] => {
    let t = tokens.get(i);
    if (!t) tokens.set(i, (t = searchableWords((documents[i] as BenchDocument).text)));
    return t;
  };
  const queries: string[] = [];
  let attempts = 0;
  while (queries.length < count) {
    if (++attempts > count * 50 + 1000) throw new Error('the corpus has too few searchable words to build queries from');
    const words = tokensOf(rng.int(0, documents.length - 1));
    if (words.length === 0) continue;
    const start = rng.int(0, Math.max(0, words.length - WINDOW));
    const window = [...new Set(words.slice(start, start + WINDOW))];
    if (window.length < 2) continue;
    const wanted = Math.min(window.length, rng.int(2, 4));
    const picked: string[] = [];
    while (picked.length < wanted) {
      const word = rng.pick(window);
      if (!picked.includes(word)) picked.push(word);
    }
    queries.push(picked.join(' '));
  }
  return queries;
}

/** Distinct scalar values of metadata.category in the corpus, sorted; empty when there are none. */
export function categoryValues(documents: readonly BenchDocument[]): (string | number | boolean)[] {
  const values = new Set<string | number | boolean>();
  for (const doc of documents) {
    const value = doc.metadata?.['category'];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values.add(value);
  }
  return [...values].sort((a, b) => String(a).localeCompare(String(b)));
}
