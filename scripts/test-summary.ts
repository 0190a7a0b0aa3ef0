// Prints the closing line CI reads, `N passed, N failed`, from jest's --json report plus the
// static checks run before it, and exits non-zero when anything failed or jest left no report.
import { existsSync, readFileSync } from 'node:fs';

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { status: string; assertionResults: unknown[]; message: string }[];
}

const [reportPath = '', checksPassedArg = '0', checksFailedArg = '0', jestStatusArg = '1'] =
  process.argv.slice(2);
let passed = Number(checksPassedArg);
let failed = Number(checksFailedArg);

if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JestReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A test file that failed before running any test (syntax error, failing beforeAll with no
  // tests reached) counts as one failure, so a broken suite never reads as green.
  failed += report.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  ).length;
} else {
  console.error(`no jest report at ${reportPath}: jest did not finish`);
  failed += 1;
}
if (jestStatusArg !== '0' && failed === 0) {
  console.error(`jest exited with status ${jestStatusArg} though no test failed`);
  failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
