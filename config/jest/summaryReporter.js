/**
 * Prints one last line, `N passed, N failed`, summing every jest test of the run (all projects),
 * so `npm test` ends with a figure a person or a CI log reader can take in at a glance.
 * Jest's own summary reporter runs after custom reporters, so the line is written at exit.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites || 0);
    const line = `${results.numPassedTests} passed, ${failed} failed\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}

module.exports = SummaryReporter;
