// Prints one plain closing line that any CI log reader understands, after Jest's own summary
// (both on stderr, so it stays the last line of the output):
//   Tests: <passed> passed, <failed> failed[, <skipped> skipped]
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `Tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stderr.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
