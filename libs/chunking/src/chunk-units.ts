import { type Segment } from './sentences';
import { type TokenCursor } from './token-cursor';

/** Separator between blocks inside a chunk. */
export const BLOCK_SEP = '\n\n';

/** A sentence (or code line, or slice); `cost` estimates the tokens of `sep + text`. */
export interface Piece extends Segment {
  cost: number;
  /** Must be repeated whole or not at all (a whole code block: a fragment would leave a fence open). */
  atomic?: boolean;
  /** Token ids it was decoded from, when known; saves re-encoding for a token-tail overlap. */
  ids?: number[];
  /** Never repeated, nor anything before it (a closing code fence: repeating it would open a fence). */
  barrier?: boolean;
}

/**
 * Something the packer places whole: a heading line, a block that fits, a sentence of a larger
 * block, or a token slice of an over-long sentence.
 */
export interface PlacedUnit {
  kind: 'heading' | 'block' | 'piece' | 'slice';
  text: string;
  /** Whitespace that precedes it when it follows other content in a chunk. */
  sep: string;
  cost: number;
  /** Its sentences (for a block: what it splits into if it turns out not to fit). */
  pieces: Piece[];
  /** What the next chunk may repeat of it: its sentences, only all of it, or nothing (and nothing before it). */
  overlap: 'pieces' | 'whole' | 'none';
}

/** A sentence longer than a chunk, sliced by tokens as it is packed, to fit the room left. */
export interface LongUnit {
  kind: 'long';
  cursor: TokenCursor;
  /** Whether its slices may be repeated as overlap (not for an over-long heading). */
  overlappable: boolean;
  /** Upper bound on slice size, set when a slice turned out to count more than its token ids. */
  cap?: number;
}

export type Unit = PlacedUnit | LongUnit;

export interface Overlap {
  pieces: Piece[];
  /** Exact token count of the rendered overlap. */
  tokens: number;
}

export const NO_OVERLAP: Overlap = { pieces: [], tokens: 0 };

/** Units in order, with the ability to put units back at the front (slices cut, units returned). */
export class UnitQueue {
  private readonly front: Unit[] = [];
  private index = 0;

  constructor(private readonly units: readonly Unit[]) {}

  peek(): Unit | undefined {
    return this.front[this.front.length - 1] ?? this.units[this.index];
  }

  shift(): Unit | undefined {
    return this.front.pop() ?? this.units[this.index++];
  }

  unshift(...units: Unit[]): void {
    for (let k = units.length - 1; k >= 0; k--) this.front.push(units[k] as Unit);
  }
}

export function renderPieces(pieces: readonly Segment[]): string {
  let out = '';
  pieces.forEach((piece, k) => {
    out += k === 0 ? piece.text : piece.sep + piece.text;
  });
  return out;
}

export function render(overlap: readonly Piece[], body: readonly PlacedUnit[]): string {
  let out = renderPieces(overlap);
  body.forEach((unit, k) => {
    out += k === 0 && overlap.length === 0 ? unit.text : unit.sep + unit.text;
  });
  return out.trim();
}
