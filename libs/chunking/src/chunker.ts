import { type ChunkingOptions, resolveChunkingOptions } from './chunking-options';
import { sha256Hex } from './hash';
import { splitCodeLines, splitSentences } from './sentences';
import { normalizeLineEndings, splitSections, type TextSection } from './text-blocks';
import { TokenCursor, tokenTail } from './token-cursor';
import { cl100kTokenizer, type Tokenizer } from './tokenizer';
import { BLOCK_SEP, LongUnit, NO_OVERLAP, Overlap, Piece, PlacedUnit, Unit, UnitQueue, render, renderPieces } from './chunk-units';

export interface Chunk {
  /** Position in the document, 0..n-1. */
  ordinal: number;
  /** Trimmed, never empty. */
  text: string;
  /** Exactly `tokenizer.count(text)`, always <= maxTokens. */
  tokenCount: number;
  /** sha256 hex of `text`. */
  hash: string;
  /** Heading path such as "Guide > Install"; absent before the first heading. */
  section?: string;
}

/**
 * Splits text into token-bounded chunks that follow its Markdown structure (see README.md).
 * Each sentence is tokenised once and costs are summed; only finished chunks are re-tokenised, to
 * report and guarantee their exact count, so the work stays linear in the input.
 */
export function chunkText(text: string, options?: Partial<ChunkingOptions>, tokenizer?: Tokenizer): Chunk[] {
  const opts = resolveChunkingOptions(options);
  const normalized = normalizeLineEndings(text);
  if (normalized.trim().length === 0) return [];

  const chunker = new SectionChunker(opts, tokenizer ?? cl100kTokenizer());
  const sections = splitSections(normalized);
  const chunks: Chunk[] = [];
  sections.forEach((section, index) => {
    // A heading with no text of its own whose subsections follow adds nothing a chunk would
    // need: its title already leads the subsections' section paths.
    const next = sections[index + 1];
    if (section.blocks.length === 0 && next !== undefined && next.level > section.level) return;

    const label = section.path.join(' > ');
    for (const packed of chunker.chunk(section)) {
      chunks.push({
        ordinal: chunks.length,
        text: packed.text,
        tokenCount: packed.tokens,
        hash: sha256Hex(packed.text),
        ...(label.length > 0 ? { section: label } : {}),
      });
    }
  });
  return chunks;
}

const FENCE_LINE = /^\s*(?:`{3,}|~{3,})\s*$/;

/** Cuts one section at a time into chunks: greedy packing, each chunk after the first opened with overlap. */
class SectionChunker {
  private readonly sepCosts = new Map<string, number>();

  constructor(
    private readonly opts: ChunkingOptions,
    private readonly tok: Tokenizer,
  ) {}

  chunk(section: TextSection): { text: string; tokens: number }[] {
    const { maxTokens, overlapTokens } = this.opts;
    const queue = new UnitQueue(this.units(section));
    const out: { text: string; tokens: number }[] = [];
    let tail: Piece[] = [];
    for (let head = queue.peek(); head !== undefined; head = queue.peek()) {
      // Overlap yields to content: it only gets the room the first new unit leaves. A long unit
      // is sliced to whatever room the overlap leaves, and overlap < maxTokens / 2 leaves plenty.
      const headCost = head.kind === 'long' ? 0 : head.cost;
      let overlap = tail.length > 0 ? this.selectOverlap(tail, Math.min(overlapTokens, maxTokens - headCost)) : NO_OVERLAP;
      const body = this.fill(queue, overlap);
      if (body.length === 0) {
        if (queue.peek() === undefined) break;
        // Only reachable when a slice cannot fit beside the overlap: retry without it.
        if (overlap.pieces.length === 0) throw new Error(`chunking: cannot fit any text in ${maxTokens} tokens`);
        tail = [];
        continue;
      }

      // Estimates sum separately counted pieces; verify the real count and back off if it is over.
      let text = render(overlap.pieces, body);
      let tokens = this.tok.count(text);
      while (tokens > maxTokens && (body.length > 1 || overlap.pieces.length > 0)) {
        if (body.length > 1) queue.unshift(body.pop() as PlacedUnit);
        else overlap = { pieces: overlap.pieces.slice(1), tokens: 0 };
        text = render(overlap.pieces, body);
        tokens = this.tok.count(text);
      }
      if (tokens > maxTokens) {
        queue.unshift(...this.explode(body[0] as PlacedUnit, tokens));
        continue;
      }

      out.push({ text, tokens });
      tail = [...overlap.pieces];
      for (const unit of body) {
        if (unit.overlap === 'none') tail.length = 0;
        else if (unit.overlap === 'whole') tail.push({ text: unit.text, sep: unit.sep, cost: unit.cost, atomic: true });
        else for (const piece of unit.pieces) tail.push(piece);
      }
    }
    return out;
  }

  /** A section as units, each (by estimate) fitting a chunk on its own, or long units to slice. */
  private units(section: TextSection): Unit[] {
    const units: Unit[] = [];
    if (section.heading !== undefined) {
      const cost = this.tok.count(section.heading);
      if (cost <= this.opts.maxTokens) units.push({ kind: 'heading', text: section.heading, sep: '', cost, pieces: [], overlap: 'none' });
      else units.push({ kind: 'long', cursor: new TokenCursor(section.heading, this.tok), overlappable: false });
    }
    for (const block of section.blocks) {
      const sep = units.length > 0 ? BLOCK_SEP : '';
      const code = block.kind === 'code';
      const long = new Map<number, LongUnit>();
      const pieces: Piece[] = [];
      const segments = code ? splitCodeLines(block.text) : splitSentences(block.text);
      segments.forEach((segment, k) => {
        const pieceSep = k === 0 ? sep : segment.sep;
        // Fewer characters than maxTokens almost never means more tokens: count it with its
        // separator, which estimates tighter. Longer ones are encoded once and, if over, sliced
        // from that same encoding.
        if (segment.text.length < this.opts.maxTokens) {
          const piece: Piece = { text: segment.text, sep: pieceSep, cost: this.tok.count(pieceSep + segment.text) };
          if (code && k > 0 && k === segments.length - 1 && FENCE_LINE.test(segment.text)) piece.barrier = true;
          pieces.push(piece);
          return;
        }
        // Possibly longer than a chunk: encode once and keep the ids for slicing.
        const ids = this.tok.encode(segment.text);
        const piece: Piece = { text: segment.text, sep: pieceSep, cost: ids.length + this.sepCost(pieceSep) };
        if (piece.cost > this.opts.maxTokens) {
          long.set(pieces.length, { kind: 'long', cursor: new TokenCursor(segment.text, this.tok, pieceSep, ids), overlappable: true });
        }
        pieces.push(piece);
      });
      const cost = pieces.reduce((sum, piece) => sum + piece.cost, 0);
      if (cost <= this.opts.maxTokens) {
        units.push({ kind: 'block', text: block.text, sep, cost, pieces, overlap: code ? 'whole' : 'pieces' });
      } else {
        pieces.forEach((piece, k) => units.push(long.get(k) ?? this.pieceUnit(piece)));
      }
    }
    return units;
  }

  private pieceUnit(piece: Piece): Unit {
    if (piece.cost <= this.opts.maxTokens) {
      return {
        kind: 'piece',
        text: piece.text,
        sep: piece.sep,
        cost: piece.cost,
        pieces: [piece],
        overlap: piece.barrier ? 'none' : 'pieces',
      };
    }
    return { kind: 'long', cursor: new TokenCursor(piece.text, this.tok, piece.sep), overlappable: true };
  }

  /** Takes units from the queue while the estimate stays within maxTokens (the first always). */
  private fill(queue: UnitQueue, overlap: Overlap): PlacedUnit[] {
    const { maxTokens } = this.opts;
    const body: PlacedUnit[] = [];
    let estimate = overlap.tokens;
    for (let unit = queue.peek(); unit !== undefined; unit = queue.peek()) {
      if (unit.kind === 'long') {
        const slice = this.slice(unit, maxTokens - estimate, body.length > 0 || overlap.pieces.length > 0);
        if (unit.cursor.done) queue.shift();
        if (slice) queue.unshift(slice);
        else if (unit.cursor.done) continue;
        else break;
        unit = slice;
      }
      if (body.length > 0 && estimate + unit.cost > maxTokens) break;
      queue.shift();
      body.push(unit);
      estimate += unit.cost;
    }
    return body;
  }

  /** Cuts the next slice of a long unit to fit `room`, keeping a token for the separator if needed. */
  private slice(unit: LongUnit, room: number, afterContent: boolean): PlacedUnit | undefined {
    const budget = Math.min(afterContent ? room - Math.max(1, this.sepCost(unit.cursor.sep)) : room, unit.cap ?? room);
    const slice = unit.cursor.take(budget);
    if (!slice) return undefined;
    const cost = slice.tokens + this.sepCost(slice.sep);
    const piece: Piece = { text: slice.text, sep: slice.sep, cost };
    if (slice.ids) piece.ids = slice.ids;
    return { kind: 'slice', text: slice.text, sep: slice.sep, cost, pieces: [piece], overlap: unit.overlappable ? 'pieces' : 'none' };
  }

  /** Breaks a unit that turned out not to fit alone (`tokens` is its real count) into smaller units. */
  private explode(unit: PlacedUnit, tokens: number): Unit[] {
    const { maxTokens } = this.opts;
    if (unit.kind === 'block' && unit.pieces.length > 1) return unit.pieces.map((piece) => this.pieceUnit(piece));
    const long: LongUnit = { kind: 'long', cursor: new TokenCursor(unit.text, this.tok, unit.sep), overlappable: unit.overlap !== 'none' };
    // A slice re-tokenised longer than its ids: cut it again, smaller by the excess. The cap only
    // shrinks, so this ends.
    if (unit.kind === 'slice') long.cap = Math.max(1, Math.min(unit.cost, maxTokens) - (tokens - maxTokens) - 1);
    return [long];
  }

  /**
   * The trailing whole sentences of the previous chunk within `budget` tokens; when the last
   * sentence alone exceeds overlapTokens, a token tail of it instead. A sentence that is only too
   * long for the room left is dropped rather than cut: a fragment is worth less than no overlap.
   */
  private selectOverlap(tail: Piece[], budget: number): Overlap {
    const last = tail[tail.length - 1];
    if (budget <= 0 || last === undefined) return NO_OVERLAP;
    let start = tail.length;
    let estimate = 0;
    for (let piece = tail[start - 1]; piece !== undefined && estimate + piece.cost <= budget; piece = tail[start - 1]) {
      estimate += piece.cost;
      start--;
    }
    for (let pieces = tail.slice(start); pieces.length > 0; pieces = pieces.slice(1)) {
      const tokens = this.tok.count(renderPieces(pieces));
      if (tokens <= budget) return { pieces, tokens };
    }
    // cost (an upper estimate) rather than a re-count: the last piece may be a whole slice.
    if (last.atomic || last.cost <= this.opts.overlapTokens) return NO_OVERLAP;
    const slice = tokenTail(last.text, budget, this.tok, last.ids);
    return slice ? { pieces: [{ text: slice.text, sep: '', cost: slice.tokens }], tokens: slice.tokens } : NO_OVERLAP;
  }

  private sepCost(sep: string): number {
    if (sep.length === 0) return 0;
    let cost = this.sepCosts.get(sep);
    if (cost === undefined) {
      cost = this.tok.count(sep);
      // Separators are whitespace runs, nearly all "\n\n", " " or "\n"; don't cache odd long ones.
      if (sep.length <= 8) this.sepCosts.set(sep, cost);
    }
    return cost;
  }
}
