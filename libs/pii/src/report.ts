// Prints the precision/recall table of the detectors over the labelled corpus (the table in
// libs/pii/README.md). Not a test and not part of the library's API. Run from the repository root:
//   npm run build && node dist/libs/pii/src/report.js
import { evaluatePii, formatEvaluation } from './pii.evaluation';
import { PII_CASES, PII_DEVELOPMENT_CASES, PII_HOLDOUT_CASES } from './testing/pii-cases';

const sections: Array<[string, typeof PII_CASES]> = [
  ['All cases', PII_CASES],
  ['Development cases', PII_DEVELOPMENT_CASES],
  ['Held-out cases', PII_HOLDOUT_CASES],
];

for (const [title, cases] of sections) {
  const evaluation = evaluatePii(cases);
  console.log(`## ${title} (${cases.length})\n\n${formatEvaluation(evaluation)}\n`);
}
