import { detectAddresses } from './address.detector';
import { detectCards } from './card.detector';
import { detectDatesOfBirth } from './dob.detector';
import { detectEmails } from './email.detector';
import { detectIbans } from './iban.detector';
import { detectIps } from './ip.detector';
import { detectPhones } from './phone.detector';
import { type PiiCandidate, type PiiMatch, type PiiOptions, type PiiType, PII_TYPES, isPiiType } from './pii.types';
import { detectSecrets } from './secret.detector';
import { detectSsns } from './ssn.detector';

const DETECTORS: Readonly<Record<PiiType, (text: string) => PiiCandidate[]>> = {
  EMAIL: detectEmails,
  PHONE: detectPhones,
  CARD: detectCards,
  IBAN: detectIbans,
  IP: detectIps,
  SSN: detectSsns,
  DOB: detectDatesOfBirth,
  SECRET: detectSecrets,
  ADDRESS: detectAddresses,
};

export function selectedTypes(options: PiiOptions | undefined): readonly PiiType[] {
  const types = options?.types ?? PII_TYPES;
  for (const type of types) {
    if (!isPiiType(type)) throw new RangeError(`unknown PII type: ${String(type)} (expected one of ${PII_TYPES.join(', ')})`);
  }
  return types;
}

/** Longer first; on equal length the more specific rule; then the earlier start. */
function beats(a: PiiCandidate, b: PiiCandidate): number {
  return b.end - b.start - (a.end - a.start) || b.priority - a.priority || a.start - b.start;
}

/**
 * Picks non-overlapping candidates. Candidates are grouped into clusters of transitively overlapping
 * spans (one sort and one sweep); inside a cluster the winners are chosen greedily by `beats`.
 * Clusters are small in practice, so this is O(n log n).
 */
export function resolveOverlaps(candidates: readonly PiiCandidate[]): PiiMatch[] {
  const sorted = candidates.filter((c) => c.end > c.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiMatch[] = [];
  let k = 0;
  while (k < sorted.length) {
    const cluster: PiiCandidate[] = [];
    let clusterEnd = -1;
    while (k < sorted.length) {
      const c = sorted[k];
      if (c === undefined || (cluster.length > 0 && c.start >= clusterEnd)) break;
      cluster.push(c);
      clusterEnd = Math.max(clusterEnd, c.end);
      k++;
    }
    const kept: PiiCandidate[] = [];
    for (const c of cluster.sort(beats)) {
      if (kept.every((w) => c.end <= w.start || c.start >= w.end)) kept.push(c);
    }
    kept.sort((a, b) => a.start - b.start);
    for (const { type, start, end } of kept) out.push({ type, start, end });
  }
  return out;
}

/**
 * Finds PII in `text`. Returns matches sorted by `start`, never overlapping. When spans of different
 * detectors overlap, the longer wins, then the more specific rule (a checksum-validated IBAN or card
 * beats a phone-shaped digit run). `types` selects the detectors that run (default: all); overlaps are
 * resolved among the selected ones only, so every span of a requested type that is found is reported.
 * Offsets are UTF-16 code-unit indices into `text`.
 */
export function detectPii(text: string, options?: PiiOptions): PiiMatch[] {
  const types = selectedTypes(options);
  const candidates: PiiCandidate[] = [];
  for (const type of PII_TYPES) {
    if (types.includes(type)) candidates.push(...DETECTORS[type](text));
  }
  return resolveOverlaps(candidates);
}
