import { type PiiCandidate, PRIORITY } from './pii.types';
import { isWordChar } from './text.util';

// IP addresses.
// IPv4: four decimal octets 0-255 without leading zeros, not part of a longer dotted number
// (`1.2.3.4.5`, OIDs) and not right after a version or section word (`v1.2.3.4`, `version 1.2.3.4`,
// `section 7.6.1.1`, `1.2.13.1-motley`). Loopback, unspecified, broadcast and netmask addresses are not reported.
// IPv6: full, `::`-compressed and IPv4-mapped/embedded forms, validated by code. Times (`12:30:45`),
// ratios and MAC addresses have too few groups and are rejected.

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\p{L}\\p{N}_.])${OCTET}(?:\\.${OCTET}){3}(?![\\p{L}\\p{N}_]|\\.\\d)`, 'gu');
const IPV4_EXACT = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
// Version and section numbers look like IPv4 addresses: "version 1.2.3.4", "sections [7.6.1.1]".
const VERSION_CONTEXT =
  /(?<![\p{L}])(?:v|ver|version|release|build|rev|revision|firmware|fw|sections?|sec|chapter|clause|§)\.?[ :=[(\n-]{0,3}$/iu;
// "1.2.13.1-motley", "10.2.154.26-node.26": a version with a pre-release suffix.
const VERSION_SUFFIX = /^-[A-Za-z]/;
// A run of hex digits, colons and dots that contains a colon within its first five characters.
const IPV6_CANDIDATE = /(?<![\p{L}\p{N}_:.])(?=[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}/gu;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;

export function isIPv4(s: string): boolean {
  return IPV4_EXACT.test(s);
}

/** The eight 16-bit groups of an IPv6 address, or undefined when `s` is not one. */
export function parseIPv6(s: string): number[] | undefined {
  if (s.length < 2 || s.includes(':::')) return undefined;
  const compressed = s.indexOf('::');
  if (compressed !== s.lastIndexOf('::')) return undefined;
  if ((s.match(/:/g) ?? []).length < 2) return undefined;
  if (!/\d/.test(s)) return undefined; // "a::b", "dead::beef": C++ scopes and words, not addresses
  const parse = (part: string, last: boolean): number[] | undefined => {
    if (part.includes('.')) {
      // Embedded IPv4 only as the last part.
      if (!last || !isIPv4(part)) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
      return [a * 256 + b, c * 256 + d];
    }
    return HEXTET.test(part) ? [parseInt(part, 16)] : undefined;
  };
  const groups = (half: string, endsAddress: boolean): number[] | undefined => {
    const parts = side(half);
    const out: number[] = [];
    for (let k = 0; k < parts.length; k++) {
      const g = parse(parts[k] ?? '', endsAddress && k === parts.length - 1);
      if (g === undefined) return undefined;
      out.push(...g);
    }
    return out;
  };
  if (compressed < 0) {
    const all = groups(s, true);
    return all?.length === 8 ? all : undefined;
  }
  const head = groups(s.slice(0, compressed), false);
  const tail = groups(s.slice(compressed + 2), true);
  if (head === undefined || tail === undefined) return undefined;
  const used = head.length + tail.length;
  // At least two groups written: "fe80::1", "2001:db8::". A lone "3::" is a Postgres cast ($3::int).
  if (used < 2 || used > 7) return undefined;
  return [...head, ...Array<number>(8 - used).fill(0), ...tail];
}

export function isIPv6(s: string): boolean {
  return parseIPv6(s) !== undefined;
}

function side(s: string): string[] {
  return s === '' ? [] : s.split(':');
}

/**
 * Addresses that cannot point at a person or a host of theirs: unspecified (0.0.0.0, ::), loopback
 * (127/8, ::1), broadcast, and netmasks (255.255.255.0, …). Private and documentation ranges are
 * still reported: they describe real infrastructure.
 */
export function isNonIdentifyingIPv4(ip: string): boolean {
  const octets = ip.split('.').map(Number);
  if (octets[0] === 0 || octets[0] === 127) return true;
  if (octets[0] !== 255) return false;
  const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
  return /^1+0*$/.test(bits); // netmask (255.255.255.255 included)
}

function isNonIdentifyingIPv6(groups: readonly number[]): boolean {
  return groups.slice(0, 7).every((g) => g === 0) && (groups[7] ?? 0) <= 1; // ::, ::1
}

export function detectIps(text: string): PiiCandidate[] {
  const out: PiiCandidate[] = [];
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
    if (isNonIdentifyingIPv4(m[0]) || VERSION_CONTEXT.test(text.slice(Math.max(0, m.index - 16), m.index))) continue;
    if (VERSION_SUFFIX.test(text.slice(m.index + m[0].length, m.index + m[0].length + 2))) continue;
    out.push({ type: 'IP', start: m.index, end: m.index + m[0].length, priority: PRIORITY.IP });
  }
  IPV6_CANDIDATE.lastIndex = 0;
  for (let m = IPV6_CANDIDATE.exec(text); m !== null; m = IPV6_CANDIDATE.exec(text)) {
    let candidate = m[0];
    // Sentence punctuation: "… at fe80::1." / "… 2001:db8::1:" (a lone trailing colon, not "::").
    while (candidate.endsWith('.')) candidate = candidate.slice(0, -1);
    if (candidate.endsWith(':') && !candidate.endsWith('::')) candidate = candidate.slice(0, -1);
    const end = m.index + candidate.length;
    const after = m.index + m[0].length;
    if (isWordChar(text[after]) || (':.'.includes(text[after] ?? '-') && /[0-9A-Fa-f]/.test(text[after + 1] ?? ''))) continue;
    const groups = parseIPv6(candidate);
    if (groups === undefined || isNonIdentifyingIPv6(groups)) continue;
    out.push({ type: 'IP', start: m.index, end, priority: PRIORITY.IP });
  }
  return out;
}
