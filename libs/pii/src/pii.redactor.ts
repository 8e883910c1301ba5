import { detectPii } from './pii.detector';
import { type PiiCounts, type PiiMatch, type PiiOptions, type PiiType, PII_TYPES } from './pii.types';

export interface PiiRedaction {
  /** `text` with every detected span replaced by its placeholder, e.g. `[EMAIL]`. */
  text: string;
  counts: PiiCounts;
  /** Sum of `counts`. */
  total: number;
}

/** The placeholder that replaces a span of `type`. */
export function piiPlaceholder(type: PiiType): string {
  return `[${type}]`;
}

function countMatches(matches: readonly PiiMatch[]): PiiCounts {
  const raw = new Map<PiiType, number>();
  for (const m of matches) raw.set(m.type, (raw.get(m.type) ?? 0) + 1);
  const counts: PiiCounts = {};
  for (const type of PII_TYPES) {
    const n = raw.get(type);
    if (n !== undefined) counts[type] = n;
  }
  return counts;
}

/**
 * Replaces every detected span with `[TYPE]`. Placeholders contain no PII and nothing a detector
 * matches, so redacting already-redacted text changes nothing.
 */
export function redactPii(text: string, options?: PiiOptions): PiiRedaction {
  const matches = detectPii(text, options);
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + piiPlaceholder(m.type);
    at = m.end;
  }
  out += text.slice(at);
  return { text: out, counts: countMatches(matches), total: matches.length };
}

/** Number of detected spans per type (types without a match are absent). */
export function countPii(text: string, options?: PiiOptions): PiiCounts {
  return countMatches(detectPii(text, options));
}
