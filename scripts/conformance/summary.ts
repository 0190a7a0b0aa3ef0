// Tallies a cache-tests run per suite section, from the suite's own verdict for each test
// (its lib/results.mjs `determineTestResult`, passed in as `verdictOf`), and renders it as Markdown.

/** The suite's verdict names (keys of its `resultTypes`). */
export const verdicts = [
  'pass',
  'fail',
  'optional_fail',
  'yes',
  'no',
  'setup_fail',
  'harness_fail',
  'dependency_fail',
  'retry',
  'untested',
] as const;
export type Verdict = (typeof verdicts)[number];

export interface SuiteTest {
  id: string;
  name: string;
  kind?: string;
}
export interface Suite {
  id: string;
  name: string;
  tests: SuiteTest[];
}
/** The CLI's JSON: `true` for a pass, `[errorName, message]` otherwise. */
export type RawResults = Record<string, true | [string, string]>;

export interface SectionTally {
  id: string;
  name: string;
  counts: Record<Verdict, number>;
}
export interface Finding {
  section: string;
  id: string;
  name: string;
  verdict: Verdict;
  message: string;
}

function emptyCounts(): Record<Verdict, number> {
  return Object.fromEntries(verdicts.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
}

export function tally(
  suites: readonly Suite[],
  results: RawResults,
  verdictOf: (testId: string) => Verdict,
): { sections: SectionTally[]; total: Record<Verdict, number>; findings: Finding[] } {
  const total = emptyCounts();
  const findings: Finding[] = [];
  const sections = suites.map((suite) => {
    const counts = emptyCounts();
    for (const test of suite.tests) {
      const verdict = verdictOf(test.id);
      counts[verdict] += 1;
      total[verdict] += 1;
      if (verdict !== 'pass' && verdict !== 'yes' && verdict !== 'untested') {
        const raw = results[test.id];
        findings.push({
          section: suite.id,
          id: test.id,
          name: test.name,
          verdict,
          message: raw === true || raw === undefined ? '' : raw[1],
        });
      }
    }
    return { id: suite.id, name: suite.name, counts };
  });
  return { sections, total, findings };
}

const columns: [Verdict, string][] = [
  ['pass', 'pass'],
  ['fail', 'fail (required)'],
  ['optional_fail', 'optional fail'],
  ['yes', 'check: yes'],
  ['no', 'check: no'],
  ['setup_fail', 'setup fail'],
  ['dependency_fail', 'dependency fail'],
  ['harness_fail', 'harness fail'],
  ['retry', 'retry'],
  ['untested', 'not run (browser-only)'],
];

export function markdownTable(sections: readonly SectionTally[], total: Record<Verdict, number>) {
  const shown = columns.filter(([verdict]) => total[verdict] > 0 || verdict === 'fail');
  const header = `| section | ${shown.map(([, label]) => label).join(' | ')} |`;
  const rule = `| --- | ${shown.map(() => '---').join(' | ')} |`;
  const rows = sections.map(
    (section) =>
      `| ${section.id} | ${shown.map(([verdict]) => section.counts[verdict]).join(' | ')} |`,
  );
  const totals = `| **all** | ${shown.map(([verdict]) => `**${total[verdict]}**`).join(' | ')} |`;
  return [header, rule, ...rows, totals].join('\n');
}

export function markdownFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (finding) =>
        `- \`${finding.id}\` (${finding.section}, ${finding.verdict}): ${finding.message.replaceAll('\n', ' ')}`,
    )
    .join('\n');
}
