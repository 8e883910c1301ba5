/** Every kind of PII the library detects. The order is the order of the detectors and of `counts` keys. */
export const PII_TYPES = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'IP', 'SSN', 'DOB', 'SECRET', 'ADDRESS'] as const;

export type PiiType = (typeof PII_TYPES)[number];

/**
 * One detected span: `text.slice(start, end)` is the PII. Offsets are UTF-16 code-unit indices (plain
 * JavaScript string indices). The matched text itself is never part of a match, so matches can be
 * logged or stored without leaking what they point at.
 */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
}

/** Number of matches per type; types with no match are absent. */
export type PiiCounts = Partial<Record<PiiType, number>>;

export interface PiiOptions {
  /** Detectors to run (default: all). Overlaps are resolved among the selected types only. */
  types?: readonly PiiType[];
}

/**
 * A detector's raw output: a match plus how specific the rule that found it is. When two candidates
 * overlap the longer one wins; on equal length the higher priority wins.
 */
export interface PiiCandidate extends PiiMatch {
  priority: number;
}

/** Tie-break priorities (higher = more specific rule). Checksum-validated and fixed-prefix rules rank highest. */
export const PRIORITY = {
  SECRET_KNOWN: 100,
  SECRET_ASSIGNMENT: 95,
  IBAN: 90,
  CARD: 85,
  SSN: 80,
  EMAIL: 75,
  IP: 70,
  DOB: 65,
  PHONE: 50,
  ADDRESS: 40,
  SECRET_GENERIC: 10,
} as const;

export function isPiiType(value: unknown): value is PiiType {
  return typeof value === 'string' && (PII_TYPES as readonly string[]).includes(value);
}
