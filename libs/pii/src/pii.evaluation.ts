import { detectPii } from './pii.detector';
import { type PiiMatch, type PiiType, PII_TYPES, isPiiType } from './pii.types';

/**
 * One labelled example. `text` marks every expected span inline as `⟦TYPE:value⟧`, e.g.
 * `'Mail ⟦EMAIL:jane@example.com⟧ today'`; the markers are removed before detection. `type` is the
 * detector the case was written for: a `positive` case has at least one marker of that type, a
 * `negative` case (a near miss for it) has none. PII of other types in either kind is marked too, so
 * anything detected that is not marked is a false positive.
 */
export interface PiiCase {
  type: PiiType;
  kind: 'positive' | 'negative';
  text: string;
}

export interface PiiTypeMetrics {
  /** Cases written for this type. */
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** tp / (tp + fp); 1 when nothing was detected. */
  precision: number;
  /** tp / (tp + fn); 1 when nothing was expected. */
  recall: number;
}

export interface PiiCaseError {
  /** Index into the evaluated cases. */
  index: number;
  /** Expected spans that were not detected (wrong type or boundaries count as missed). */
  missed: PiiMatch[];
  /** Detected spans that were not expected. */
  unexpected: PiiMatch[];
}

export interface PiiEvaluation {
  perType: Record<PiiType, PiiTypeMetrics>;
  /** Micro-averaged over all spans of all types. */
  overall: PiiTypeMetrics;
  errors: PiiCaseError[];
}

const MARKER = /⟦([A-Z]+):([^⟦⟧]*)⟧/g;

/** Strips `⟦TYPE:value⟧` markers and returns the plain text with the expected spans. */
export function parseLabelledText(labelled: string): { text: string; expected: PiiMatch[] } {
  const expected: PiiMatch[] = [];
  let text = '';
  let at = 0;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(labelled); m !== null; m = MARKER.exec(labelled)) {
    const [whole, type, value = ''] = m;
    if (!isPiiType(type)) throw new RangeError(`unknown PII type in marker: ${whole}`);
    text += labelled.slice(at, m.index);
    expected.push({ type, start: text.length, end: text.length + value.length });
    text += value;
    at = m.index + whole.length;
  }
  text += labelled.slice(at);
  if (text.includes('⟦') || text.includes('⟧')) throw new RangeError(`malformed marker in: ${labelled}`);
  return { text, expected };
}

function metrics(positives: number, negatives: number, tp: number, fp: number, fn: number): PiiTypeMetrics {
  return {
    positives,
    negatives,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

const key = (m: PiiMatch): string => `${m.type}:${m.start}:${m.end}`;

/**
 * Runs `detectPii` (all types) over every case and scores spans strictly: a detection is a true
 * positive only with the expected type and exact start and end. Every detection in any case counts,
 * so a detector firing on another type's example is a false positive for that detector.
 */
export function evaluatePii(cases: readonly PiiCase[]): PiiEvaluation {
  const tally = Object.fromEntries(PII_TYPES.map((t) => [t, { positives: 0, negatives: 0, tp: 0, fp: 0, fn: 0 }])) as Record<
    PiiType,
    { positives: number; negatives: number; tp: number; fp: number; fn: number }
  >;
  const get = (t: PiiType): (typeof tally)[PiiType] => tally[t];
  const errors: PiiCaseError[] = [];

  cases.forEach((c, index) => {
    const { text, expected } = parseLabelledText(c.text);
    const ownMarkers = expected.filter((m) => m.type === c.type).length;
    if (c.kind === 'positive' && ownMarkers === 0) throw new RangeError(`positive ${c.type} case without a ${c.type} marker: ${c.text}`);
    if (c.kind === 'negative' && ownMarkers > 0) throw new RangeError(`negative ${c.type} case with a ${c.type} marker: ${c.text}`);
    get(c.type)[c.kind === 'positive' ? 'positives' : 'negatives']++;

    const found = detectPii(text);
    const expectedKeys = new Set(expected.map(key));
    const foundKeys = new Set(found.map(key));
    const missed = expected.filter((m) => !foundKeys.has(key(m)));
    const unexpected = found.filter((m) => !expectedKeys.has(key(m)));
    for (const m of found) {
      if (expectedKeys.has(key(m))) get(m.type).tp++;
    }
    for (const m of unexpected) get(m.type).fp++;
    for (const m of missed) get(m.type).fn++;
    if (missed.length > 0 || unexpected.length > 0) errors.push({ index, missed, unexpected });
  });

  const perType = {} as Record<PiiType, PiiTypeMetrics>;
  const sum = { positives: 0, negatives: 0, tp: 0, fp: 0, fn: 0 };
  for (const t of PII_TYPES) {
    const s = get(t);
    perType[t] = metrics(s.positives, s.negatives, s.tp, s.fp, s.fn);
    for (const k of ['positives', 'negatives', 'tp', 'fp', 'fn'] as const) sum[k] += s[k];
  }
  return { perType, overall: metrics(sum.positives, sum.negatives, sum.tp, sum.fp, sum.fn), errors };
}

/** The evaluation as a Markdown table (the one in the README). */
export function formatEvaluation(evaluation: PiiEvaluation): string {
  const pct = (x: number): string => x.toFixed(3);
  const row = (name: string, m: PiiTypeMetrics): string =>
    `| ${name} | ${m.positives} | ${m.negatives} | ${m.truePositives} | ${m.falsePositives} | ${m.falseNegatives} | ${pct(m.precision)} | ${pct(m.recall)} |`;
  return [
    '| Type | Positive cases | Negative cases | TP | FP | FN | Precision | Recall |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...PII_TYPES.map((t) => row(t, evaluation.perType[t])),
    row('**overall**', evaluation.overall),
  ].join('\n');
}
