export { detectPii } from './pii.detector';
export {
  type PiiCase,
  type PiiCaseError,
  type PiiEvaluation,
  type PiiTypeMetrics,
  evaluatePii,
  formatEvaluation,
  parseLabelledText,
} from './pii.evaluation';
export { type PiiRedaction, countPii, piiPlaceholder, redactPii } from './pii.redactor';
export { type PiiCounts, type PiiMatch, type PiiOptions, type PiiType, PII_TYPES, isPiiType } from './pii.types';
