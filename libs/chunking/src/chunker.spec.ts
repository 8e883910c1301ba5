import { createHash } from 'node:crypto';
import { type Chunk, chunkText, cl100kTokenizer, DEFAULT_CHUNKING_OPTIONS, sha256Hex, type Tokenizer } from './index';

const tok = cl100kTokenizer();
const TOPICS = ['ingest', 'search', 'embedding', 'tenant', 'vector', 'queue', 'index', 'schema', 'cache', 'audit'];

/** Distinct, recognisable sentences: "Sentence 7 explains how the ... ." */
function sentences(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return `Sentence ${i} explains how the ${TOPICS[i % 10]} stage handles ${TOPICS[(i * 3 + 1) % 10]} record ${i * 7}.`;
  });
}

function expectWellFormed(chunks: Chunk[], maxTokens: number): void {
  chunks.forEach((chunk, k) => {
    expect(chunk.ordinal).toBe(k);
    expect(chunk.text.length).toBeGreaterThan(0);
    expect(chunk.text).toBe(chunk.text.trim());
    expect(chunk.tokenCount).toBe(tok.count(chunk.text));
    expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
    expect(chunk.hash).toBe(sha256Hex(chunk.text));
  });
}

/** The longest suffix of `prev` that `next` starts with: the overlap, given distinct sentences. */
function overlapBetween(prev: string, next: string): string {
  for (let len = Math.min(prev.length, next.length - 1); len > 0; len--) {
    const suffix = prev.slice(prev.length - len);
    if (next.startsWith(suffix)) return suffix;
  }
  return '';
}

const squash = (text: string): string => text.replace(/\s+/g, '');

/** Small deterministic PRNG so the "random" documents are the same on every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** A mixed Markdown document; every heading has content of its own. */
function mixedDocument(seed: number, sectionCount: number, { cjk = true } = {}): string {
  const rnd = lcg(seed);
  const parts: string[] = ['Preamble before any heading. ' + sentences(3, 900).join(' ')];
  let n = 0;
  for (let s = 0; s < sectionCount; s++) {
    parts.push(`${'#'.repeat(1 + Math.floor(rnd() * 3))} Section ${s}`);
    const blocks = 1 + Math.floor(rnd() * 5);
    for (let b = 0; b < blocks; b++) {
      const kind = rnd();
      if (kind < 0.45) {
        const count = 1 + Math.floor(rnd() * 25);
        parts.push(sentences(count, n).join(' '));
        n += count;
      } else if (kind < 0.6) {
        parts.push(Array.from({ length: 2 + Math.floor(rnd() * 6) }, (_, i) => `- list item ${n + i} about ${TOPICS[i % 10]}`).join('\n'));
        n += 10;
      } else if (kind < 0.75) {
        const lines = Array.from(
          { length: 1 + Math.floor(rnd() * 40) },
          (_, i) => `  const v${n + i} = compute(${i}, "${TOPICS[i % 10]}");`,
        );
        parts.push('```ts\n' + lines.join('\n') + '\n\n# not a heading\n```');
        n += 40;
      } else if (kind < 0.85) {
        parts.push(Array.from({ length: 50 + Math.floor(rnd() * 500) }, (_, i) => `w${n + i}`).join(' '));
        n += 600;
      } else if (kind < 0.92) {
        parts.push(cjk ? '日本語のテキスト😀です。'.repeat(5 + Math.floor(rnd() * 60)) : sentences(5, n).join(' '));
        n += 5;
      } else {
        parts.push(`Line one of ${n}.\r\nLine two of ${n}!\rLine three? Yes.`);
        n += 1;
      }
    }
  }
  return parts.join(rnd() < 0.5 ? '\n\n' : '\n\n\n');
}

describe('chunkText', () => {
  it('returns no chunks for empty or whitespace-only input', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText('  \n\t\r\n  \r ')).toEqual([]);
  });

  it('returns a short text as one trimmed chunk without a section', () => {
    const chunks = chunkText('  \n Hello world. This is short.  \n');
    expect(chunks).toEqual([
      {
        ordinal: 0,
        text: 'Hello world. This is short.',
        tokenCount: tok.count('Hello world. This is short.'),
        hash: sha256Hex('Hello world. This is short.'),
      },
    ]);
    expect(chunks[0]).not.toHaveProperty('section');
  });

  it('uses DEFAULT_CHUNKING_OPTIONS (400/60) when none are given', () => {
    expect(DEFAULT_CHUNKING_OPTIONS).toEqual({ maxTokens: 400, overlapTokens: 60 });
    const chunks = chunkText(sentences(200).join(' '));
    expect(chunks.length).toBeGreaterThan(4);
    expectWellFormed(chunks, 400);
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBeGreaterThan(300);
  });

  describe('sections', () => {
    it('never spans two sections, starts each section with its heading line and records the heading path', () => {
      const doc = [
        'Preamble text.',
        '# Guide',
        'Guide intro.',
        '## Install ##',
        'Run the installer.',
        '### Linux',
        'Use apt.',
        '## Usage',
        'Call the API.',
        '# FAQ',
        'Ask away.',
      ].join('\n\n');
      const chunks = chunkText(doc);
      expect(chunks.map((c) => [c.section, c.text])).toEqual([
        [undefined, 'Preamble text.'],
        ['Guide', '# Guide\n\nGuide intro.'],
        ['Guide > Install', '## Install ##\n\nRun the installer.'],
        ['Guide > Install > Linux', '### Linux\n\nUse apt.'],
        ['Guide > Usage', '## Usage\n\nCall the API.'],
        ['FAQ', '# FAQ\n\nAsk away.'],
      ]);
      expectWellFormed(chunks, 400);
    });

    it('does not emit a bare parent heading whose subsections follow, but keeps a trailing bare heading', () => {
      expect(chunkText('# Guide\n\n## Install\n\nRun it.\n\n# Appendix').map((c) => [c.section, c.text])).toEqual([
        ['Guide > Install', '## Install\n\nRun it.'],
        ['Appendix', '# Appendix'],
      ]);
    });

    it('keeps headings as hard boundaries when sections need several chunks', () => {
      const doc = Array.from({ length: 4 }, (_, s) => `## Part ${s}\n\n${sentences(30, s * 30).join(' ')}`).join('\n\n');
      const chunks = chunkText(doc, { maxTokens: 80, overlapTokens: 20 });
      expectWellFormed(chunks, 80);
      for (let s = 0; s < 4; s++) {
        const own = chunks.filter((c) => c.section === `Part ${s}`);
        expect(own.length).toBeGreaterThan(2);
        expect(own[0]!.text.startsWith(`## Part ${s}\n\n`)).toBe(true);
        for (const chunk of own) {
          expect(chunk.text.match(/^#+ /gm) ?? []).toHaveLength(chunk === own[0] ? 1 : 0);
          // Every sentence in the chunk belongs to this part.
          for (const [, n] of chunk.text.matchAll(/Sentence (\d+) /g)) expect(Math.floor(Number(n) / 30)).toBe(s);
        }
      }
      // Overlap never reaches back into the previous section.
      const firstOfPart1 = chunks.find((c) => c.section === 'Part 1')!;
      expect(firstOfPart1.text.startsWith('## Part 1')).toBe(true);
    });
  });

  describe('splitting', () => {
    it('splits a long paragraph at sentence boundaries', () => {
      const paragraph = sentences(60).join(' ');
      const chunks = chunkText(paragraph, { maxTokens: 64, overlapTokens: 0 });
      expect(chunks.length).toBeGreaterThan(5);
      expectWellFormed(chunks, 64);
      for (const chunk of chunks) {
        expect(chunk.text).toMatch(/^Sentence \d+ /);
        expect(chunk.text).toMatch(/\.$/);
      }
      expect(chunks.map((c) => c.text).join(' ')).toBe(paragraph);
    });

    it('packs small paragraphs together up to maxTokens', () => {
      const paragraphs = sentences(12);
      const chunks = chunkText(paragraphs.join('\n\n'), { maxTokens: 64, overlapTokens: 0 });
      expectWellFormed(chunks, 64);
      expect(chunks.length).toBeLessThan(paragraphs.length);
      expect(chunks.map((c) => c.text).join('\n\n')).toBe(paragraphs.join('\n\n'));
    });

    it('splits a sentence longer than maxTokens by tokens', () => {
      const sentence = Array.from({ length: 2000 }, (_, i) => `token${i}`).join(' ');
      const chunks = chunkText(sentence, { maxTokens: 50, overlapTokens: 0 });
      expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(tok.count(sentence) / 50));
      expectWellFormed(chunks, 50);
      expect(chunks.map((c) => c.text).join(' ')).toBe(sentence);
    });

    it('never cuts through a multi-byte character', () => {
      const text = '日本語のテキスト😀'.repeat(200);
      const chunks = chunkText(text, { maxTokens: 32, overlapTokens: 0 });
      expectWellFormed(chunks, 32);
      expect(chunks.some((c) => c.text.includes('\uFFFD'))).toBe(false);
      expect(chunks.map((c) => c.text).join('')).toBe(text);
    });

    it('fills the heading chunk with the start of an over-long first sentence', () => {
      const sentence = Array.from({ length: 300 }, (_, i) => `token${i}`).join(' ');
      const chunks = chunkText(`# Blob\n\n${sentence}`, { maxTokens: 50, overlapTokens: 0 });
      expect(chunks[0]!.text).toMatch(/^# Blob\n\ntoken0 token1 /);
      expect(chunks[0]!.tokenCount).toBeGreaterThan(40);
    });

    it('keeps a fenced code block whole when it fits', () => {
      const fence = '```ts\nfunction add(a: number, b: number): number {\n\n  // # not a heading\n  return a + b;\n}\n```';
      expect(tok.count(fence)).toBeLessThan(40);
      const doc = `# Code\n\n${sentences(3).join(' ')}\n\n${fence}\n\n${sentences(3, 3).join(' ')}`;
      const chunks = chunkText(doc, { maxTokens: 64, overlapTokens: 10 });
      expectWellFormed(chunks, 64);
      expect(chunks.length).toBeGreaterThan(1);
      // Exactly one chunk has fence markers, and it has the whole fence: overlap never repeats part of it.
      expect(chunks.filter((c) => c.text.includes('```'))).toEqual([expect.objectContaining({ text: expect.stringContaining(fence) })]);
      expect(chunks.every((c) => c.section === 'Code')).toBe(true);
    });

    it('splits an over-long code block only at line boundaries', () => {
      const lines = Array.from({ length: 60 }, (_, i) => `    const value${i} = compute(${i});`);
      const fence = ['```js', ...lines, '```'].join('\n');
      const chunks = chunkText(fence, { maxTokens: 64, overlapTokens: 0 });
      expect(chunks.length).toBeGreaterThan(3);
      expectWellFormed(chunks, 64);
      const known = new Set(['```js', '```', ...lines.map((l) => l.trim())]);
      for (const chunk of chunks) for (const line of chunk.text.split('\n')) expect(known.has(line.trim())).toBe(true);
      // Only the first line of each chunk loses its indentation (chunks are trimmed).
      expect(squash(chunks.map((c) => c.text).join('\n'))).toBe(squash(fence));
    });

    it('overlaps the lines of an over-long code block but never repeats its closing fence', () => {
      const lines = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i});`);
      const doc = ['```js', ...lines, '```'].join('\n') + '\n\n' + sentences(10).join(' ');
      const chunks = chunkText(doc, { maxTokens: 64, overlapTokens: 20 });
      expectWellFormed(chunks, 64);
      // A chunk ends right at the closing fence, so the next one would open with it were it repeated.
      expect(chunks.some((c) => c.text.endsWith('```') && !c.text.startsWith('```'))).toBe(true);
      expect(chunks.some((c) => /^```\s*(\n|$)/.test(c.text))).toBe(false);
      // Prose after the block never carries a repeated (so unbalanced) fence marker.
      for (const chunk of chunks.filter((c) => c.text.includes('Sentence '))) expect((chunk.text.match(/^```/gm) ?? []).length % 2).toBe(0);
      const overlaps = chunks.slice(1).map((c, k) => overlapBetween(chunks[k]!.text, c.text));
      expect(overlaps.filter((o) => /^const value\d+/.test(o)).length).toBeGreaterThan(2);
    });
  });

  describe('overlap', () => {
    it('starts each later chunk of a section with whole trailing sentences of the previous one, within overlapTokens', () => {
      const chunks = chunkText(sentences(40).join(' '), { maxTokens: 100, overlapTokens: 30 });
      expectWellFormed(chunks, 100);
      expect(chunks.length).toBeGreaterThan(3);
      for (let k = 1; k < chunks.length; k++) {
        const overlap = overlapBetween(chunks[k - 1]!.text, chunks[k]!.text);
        expect(overlap).toMatch(/^Sentence \d+ .*\.$/);
        expect(tok.count(overlap)).toBeLessThanOrEqual(30);
        expect(chunks[k]!.text.length).toBeGreaterThan(overlap.length + 1);
      }
    });

    it('uses a token tail when the last sentence alone exceeds overlapTokens', () => {
      const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i} ${Array.from({ length: 20 }, (_, j) => `w${i}x${j}`).join(' ')}.`);
      expect(tok.count(long[0]!)).toBeGreaterThan(10);
      const chunks = chunkText(long.join(' '), { maxTokens: 100, overlapTokens: 10 });
      expectWellFormed(chunks, 100);
      expect(chunks.length).toBeGreaterThan(2);
      for (let k = 1; k < chunks.length; k++) {
        const overlap = overlapBetween(chunks[k - 1]!.text, chunks[k]!.text);
        expect(overlap.length).toBeGreaterThan(0);
        expect(overlap).not.toMatch(/^Sentence/);
        expect(tok.count(overlap)).toBeLessThanOrEqual(10);
      }
    });

    it('overlaps consecutive token slices of an over-long sentence', () => {
      const sentence = Array.from({ length: 1000 }, (_, i) => `token${i}`).join(' ');
      const chunks = chunkText(sentence, { maxTokens: 50, overlapTokens: 10 });
      expectWellFormed(chunks, 50);
      for (let k = 1; k < chunks.length; k++) {
        const overlap = overlapBetween(chunks[k - 1]!.text, chunks[k]!.text);
        expect(overlap.length).toBeGreaterThan(0);
        expect(tok.count(overlap)).toBeLessThanOrEqual(10);
      }
    });

    it('shrinks the overlap so a block that barely fits still fits whole', () => {
      const fence = ['```', ...Array.from({ length: 12 }, (_, i) => `line ${i} of the block`), '```'].join('\n');
      const fenceTokens = tok.count(fence);
      const maxTokens = fenceTokens + 5;
      const chunks = chunkText(`${sentences(4).join(' ')}\n\n${fence}`, { maxTokens, overlapTokens: Math.floor(maxTokens / 2) - 1 });
      expectWellFormed(chunks, maxTokens);
      expect(chunks.some((c) => c.text.includes(fence))).toBe(true);
    });
  });

  describe('invariants on mixed documents', () => {
    const documents = [1, 2, 3, 4].map((seed) => mixedDocument(seed, 25));
    const optionSets = [
      { maxTokens: 16, overlapTokens: 0 },
      { maxTokens: 16, overlapTokens: 7 },
      { maxTokens: 50, overlapTokens: 10 },
      { maxTokens: 128, overlapTokens: 40 },
      { maxTokens: 400, overlapTokens: 60 },
      { maxTokens: 1000, overlapTokens: 0 },
    ];

    it.each(optionSets)('keeps every chunk within %o with exact token counts', (options) => {
      for (const doc of documents) expectWellFormed(chunkText(doc, options), options.maxTokens);
    });

    it('loses no text when there is no overlap', () => {
      for (const doc of documents) {
        for (const maxTokens of [16, 100, 500]) {
          const chunks = chunkText(doc, { maxTokens, overlapTokens: 0 });
          expect(squash(chunks.map((c) => c.text).join(''))).toBe(squash(doc));
        }
      }
    });

    it('is deterministic and hashes each text with sha256', () => {
      const doc = documents[0]!;
      const first = chunkText(doc, { maxTokens: 128, overlapTokens: 20 });
      expect(chunkText(doc, { maxTokens: 128, overlapTokens: 20 })).toEqual(first);
      for (const chunk of first) expect(chunk.hash).toBe(createHash('sha256').update(chunk.text, 'utf8').digest('hex'));
      expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });

    it('normalises CRLF and CR line endings', () => {
      const doc = documents[1]!.replace(/\r\n?/g, '\n');
      const expected = chunkText(doc, { maxTokens: 100, overlapTokens: 20 });
      expect(chunkText(doc.replace(/\n/g, '\r\n'), { maxTokens: 100, overlapTokens: 20 })).toEqual(expected);
      expect(chunkText(doc.replace(/\n/g, '\r'), { maxTokens: 100, overlapTokens: 20 })).toEqual(expected);
      expect(expected.some((c) => c.text.includes('\r'))).toBe(false);
    });
  });

  describe('options', () => {
    it.each([
      [{ maxTokens: 15 }, /maxTokens/],
      [{ maxTokens: 8193 }, /maxTokens/],
      [{ maxTokens: 100.5 }, /maxTokens/],
      [{ maxTokens: Number.NaN }, /maxTokens/],
      [{ overlapTokens: -1 }, /overlapTokens/],
      [{ overlapTokens: 1.5 }, /overlapTokens/],
      [{ maxTokens: 100, overlapTokens: 50 }, /overlapTokens/],
      [{ maxTokens: 16 }, /overlapTokens/], // the default overlap (60) no longer fits
    ])('rejects %o with a RangeError', (options, message) => {
      expect(() => chunkText('some text', options)).toThrow(RangeError);
      expect(() => chunkText('', options)).toThrow(message);
    });

    it.each([
      { maxTokens: 16, overlapTokens: 7 },
      { maxTokens: 100, overlapTokens: 49 },
      { maxTokens: 8192, overlapTokens: 0 },
    ])('accepts %o', (options) => {
      expect(() => chunkText('some text', options)).not.toThrow();
    });
  });

  it('counts with an injected tokenizer', () => {
    const chars: Tokenizer = {
      name: 'chars',
      count: (text) => text.length,
      encode: (text) => Array.from(text, (c) => c.codePointAt(0)!),
      decode: (tokens) => String.fromCodePoint(...tokens),
    };
    const chunks = chunkText(sentences(10).join(' '), { maxTokens: 40, overlapTokens: 0 }, chars);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(chunk.text.length);
      expect(chunk.text.length).toBeLessThanOrEqual(40);
    }
  });

  it('keeps the limit with a tokenizer whose counts are not additive', () => {
    // Superadditive: count(a + b) > count(a) + count(b), so every summed estimate falls short and
    // only the exact re-count of each chunk keeps it within the limit.
    const count = (text: string): number => text.length + Math.floor((text.length * text.length) / 500);
    const lumpy: Tokenizer = {
      name: 'lumpy',
      count,
      encode: (text) => Array.from(text, (c) => c.codePointAt(0)!),
      decode: (tokens) => String.fromCodePoint(...tokens),
    };
    const doc = mixedDocument(3, 10, { cjk: false });
    for (const options of [
      { maxTokens: 100, overlapTokens: 0 },
      { maxTokens: 100, overlapTokens: 30 },
      { maxTokens: 400, overlapTokens: 60 },
    ]) {
      const chunks = chunkText(doc, options, lumpy);
      for (const chunk of chunks) {
        expect(chunk.tokenCount).toBe(count(chunk.text));
        expect(chunk.tokenCount).toBeLessThanOrEqual(options.maxTokens);
      }
      if (options.overlapTokens === 0) expect(squash(chunks.map((c) => c.text).join(''))).toBe(squash(doc));
    }
  });

  it('chunks a 1 MB document in well under a couple of seconds', () => {
    tok.count('warm up the encoder');
    const doc = mixedDocument(7, 450, { cjk: false });
    expect(doc.length).toBeGreaterThan(1_000_000);
    const started = performance.now();
    const chunks = chunkText(doc);
    const elapsed = performance.now() - started;
    expectWellFormed(chunks.slice(0, 50), 400);
    // ~0.7 s on one core of a laptop; the margin absorbs loaded CI machines, not quadratic behaviour.
    expect(elapsed).toBeLessThan(3000);
  });
});
