import { type ReportInput, renderReport, reportDocument } from './bench-report.ts';
import { defaultOptions } from './options.ts';
import type { Measurement, SectionResult } from './section.ts';

const run = (requestsPerSecond: number, originFetchesPerRequest = 0): Measurement => ({
  requestsPerSecond,
  p50Ms: 1,
  p99Ms: 4,
  errors: 0,
  originFetchesPerRequest,
  originConnections: 0,
});

const results: SectionResult[] = [
  {
    id: 'hit-1k',
    title: 'hits, 1 KB',
    targetRatio: 0.75,
    runs: new Map([
      ['nginx', [run(80_000), run(90_000), run(85_000)]],
      ['edge', [run(70_000), run(60_000), run(68_000)]],
    ]),
    commands: ['nginx: /usr/bin/wrk -t2 -c64 ... http://127.0.0.1:1/obj/1k'],
    warnings: ['edge round 2: 3 wrk errors'],
  },
];

const input: ReportInput = {
  facts: ['cores: 2', 'node v24'],
  options: defaultOptions,
  results,
  originCommand: 'node bench/origin-server.ts --port 1',
  targets: [
    { name: 'nginx', commands: ['/usr/sbin/nginx -c x'] },
    { name: 'edge', commands: ['EDGEPLANE_ROLE=edge node runtime/main.ts'] },
  ],
  loadAtEnd: [1.5, 1, 0.5],
};

describe('renderReport', () => {
  const text = renderReport(input);

  it('names what was compared, the machine and how it was driven', () => {
    expect(text).toContain("edgeplane bench: edgeplane's edge vs nginx proxy_cache");
    expect(text).toContain('  cores: 2\n  node v24\n');
    expect(text).toContain(
      'wrk -t2 -c64, 3 rounds of 10 s per target and section, alternating nginx, edge',
    );
    expect(text).toContain('load average at end: 1.50 1.00 0.50');
  });

  it('has the medians, the ratio and the verdict', () => {
    expect(text).toMatch(/hits, 1 KB\s+85,000\s+68,000\s+0\.80x\s+>=0\.75x met/);
  });

  it('lists warnings and every command', () => {
    expect(text).toContain(
      'WARNINGS (these make figures above doubtful):\n  hit-1k: edge round 2: 3 wrk errors',
    );
    expect(text).toContain('  origin: node bench/origin-server.ts --port 1');
    expect(text).toContain('  nginx: /usr/sbin/nginx -c x');
    expect(text).toContain('  edge: EDGEPLANE_ROLE=edge node runtime/main.ts');
    expect(text).toContain('  hit-1k nginx: /usr/bin/wrk -t2 -c64');
  });

  it('never passes the stand-in, overridden settings or a profiled run off as results', () => {
    expect(text).not.toMatch(/STAND-IN|OVERRIDDEN|PROFILED/);
    const standIn = renderReport({
      ...input,
      targets: [
        input.targets[0] as ReportInput['targets'][number],
        { name: 'stand-in', commands: [] },
      ],
      results: results.map((result) => ({
        ...result,
        runs: new Map([
          ['nginx', result.runs.get('nginx') ?? []],
          ['stand-in', result.runs.get('edge') ?? []],
        ]),
      })),
    });
    expect(standIn).toContain(
      "THE BENCH STAND-IN EDGE (not edgeplane's edge; figures are not results)",
    );
    const tuned = renderReport({
      ...input,
      options: { ...defaultOptions, edgeEnv: { EDGEPLANE_REQUEST_LOG: 'off' }, profile: true },
    });
    expect(tuned).toContain('EDGE ENVIRONMENT OVERRIDDEN: EDGEPLANE_REQUEST_LOG=off');
    expect(tuned).toContain('PROFILED RUN');
  });
});

describe('reportDocument', () => {
  it('carries the comparison and every run', () => {
    const [section] = reportDocument(input).sections;
    expect(section?.ratio).toBeCloseTo(0.8);
    expect(section?.meetsTarget).toBe(true);
    expect(section?.runs.edge).toHaveLength(3);
    expect(section?.warnings).toEqual(['edge round 2: 3 wrk errors']);
    expect(
      JSON.parse(JSON.stringify(reportDocument(input))).sections[0].runs.nginx[1].requestsPerSecond,
    ).toBe(90_000);
  });
});

describe('standalone sections (purge propagation)', () => {
  const purge = {
    id: 'purge',
    title: 'purge propagation to 8 edges',
    lines: [
      'purge propagation: ...',
      '  purges 200, p50 8.0 ms, p99 30.0 ms, max 41.0 ms; target p99 <= 100 ms met',
    ],
    figures: { summary: { p99Ms: 30 } },
    meetsTarget: true,
    commands: ['EDGEPLANE_ROLE=origin node runtime/main.ts'],
    warnings: ['190 purges measured; issue #5 asks for at least 200'],
  };

  it('prints its lines after the comparison, its warnings and its commands', () => {
    const text = renderReport({ ...input, standalone: [purge] });
    expect(text.indexOf('purges 200, p50 8.0 ms')).toBeGreaterThan(text.indexOf('hits, 1 KB'));
    expect(text).toContain('  purge: 190 purges measured; issue #5 asks for at least 200');
    expect(text).toContain('  purge: EDGEPLANE_ROLE=origin node runtime/main.ts');
  });

  it('stands alone when no comparison ran: no nginx table, no targets needed', () => {
    const text = renderReport({
      ...input,
      results: [],
      targets: [],
      originCommand: '',
      standalone: [purge],
    });
    expect(text).not.toContain('nginx');
    expect(text).toContain('target p99 <= 100 ms met');
    expect(text).toContain('load average at end: 1.50 1.00 0.50');
    const document = reportDocument({ ...input, results: [], targets: [], standalone: [purge] });
    expect(document.sections).toEqual([]);
    expect(document.standalone[0]).toMatchObject({ id: 'purge', meetsTarget: true });
  });
});
