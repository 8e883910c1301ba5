// Prints one plain closing line that any CI log reader understands:
//   Tests: <passed> passed, <failed> failed[, <skipped> skipped]
// Jest's own summary is printed by its default reporter, whose order relative to custom reporters is not
// guaranteed, so the line is written when the process exits: it is always the last line of the output.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `Tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.once('exit', () => process.stderr.write(`\n${line}\n`));
  }
}
module.exports = SummaryReporter;
