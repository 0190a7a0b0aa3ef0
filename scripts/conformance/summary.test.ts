import { markdownFindings, markdownTable, type Suite, tally, type Verdict } from './summary.ts';

const suites: Suite[] = [
  {
    id: 'a',
    name: 'A',
    tests: [
      { id: 'a-1', name: 'one' },
      { id: 'a-2', name: 'two', kind: 'optimal' },
    ],
  },
  { id: 'b', name: 'B', tests: [{ id: 'b-1', name: 'three', kind: 'check' }] },
];
const verdictsById: Record<string, Verdict> = {
  'a-1': 'pass',
  'a-2': 'optional_fail',
  'b-1': 'no',
};

describe('tally', () => {
  const { sections, total, findings } = tally(
    suites,
    {
      'a-1': true,
      'a-2': ['Assertion', 'Response 2 does not come from cache'],
      'b-1': ['Assertion', 'x'],
    },
    (id) => verdictsById[id] ?? 'untested',
  );

  it('counts verdicts per section and overall', () => {
    expect(sections.map((s) => [s.id, s.counts.pass, s.counts.optional_fail, s.counts.no])).toEqual(
      [
        ['a', 1, 1, 0],
        ['b', 0, 0, 1],
      ],
    );
    expect(total.pass).toBe(1);
    expect(total.fail).toBe(0);
  });

  it('lists every test that did not pass, with the suite message', () => {
    expect(findings).toEqual([
      {
        section: 'a',
        id: 'a-2',
        name: 'two',
        verdict: 'optional_fail',
        message: 'Response 2 does not come from cache',
      },
      { section: 'b', id: 'b-1', name: 'three', verdict: 'no', message: 'x' },
    ]);
    expect(markdownFindings(findings)).toContain('`a-2` (a, optional_fail)');
  });

  it('renders only the columns that occur, and always the required failures', () => {
    const table = markdownTable(sections, total).split('\n');
    expect(table[0]).toBe('| section | pass | fail (required) | optional fail | check: no |');
    expect(table.at(-1)).toBe('| **all** | **1** | **0** | **1** | **1** |');
  });
});
