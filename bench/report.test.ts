import { compare, formatComparison, median } from './report.ts';
import type { Measurement, SectionResult } from './section.ts';

const measurement = (requestsPerSecond: number, p50Ms = 1, p99Ms = 5): Measurement => ({
  requestsPerSecond,
  p50Ms,
  p99Ms,
  errors: 0,
  originFetchesPerRequest: 0,
  originConnections: 0,
});

function result(nginx: number[], edge: number[], targetRatio?: number): SectionResult {
  return {
    id: 'hit-1k',
    title: 'hits, 1 KB',
    ...(targetRatio === undefined ? {} : { targetRatio }),
    runs: new Map([
      ['nginx', nginx.map((value) => measurement(value))],
      ['edge', edge.map((value) => measurement(value, 2, 9))],
    ]),
    commands: [],
    warnings: [],
  };
}

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('of nothing is NaN, never a made-up figure', () => {
    expect(median([])).toBeNaN();
  });
});

describe('compare', () => {
  it('divides the medians and checks the target', () => {
    const line = compare(result([100, 90, 110], [70, 80, 400], 0.75), 'nginx', 'edge');
    expect(line.baseline.requestsPerSecond).toBe(100);
    expect(line.candidate.requestsPerSecond).toBe(80);
    expect(line.ratio).toBeCloseTo(0.8);
    expect(line.meetsTarget).toBe(true);
    expect(line.candidate.minRequestsPerSecond).toBe(70);
    expect(line.candidate.maxRequestsPerSecond).toBe(400);
    expect(line.roundRatios).toEqual([0.7, 80 / 90, 400 / 110]);
  });

  it('misses a target it is below', () => {
    expect(compare(result([100], [74], 0.75), 'nginx', 'edge').meetsTarget).toBe(false);
  });

  it('has no verdict without a target', () => {
    expect(compare(result([100], [74]), 'nginx', 'edge').meetsTarget).toBeUndefined();
  });

  it('refuses a section that has no runs of a target', () => {
    expect(() => compare(result([100], []), 'nginx', 'edge')).toThrow(/no runs of nginx and edge/);
  });
});

describe('formatComparison', () => {
  it('prints the figures side by side with the ratio and the target', () => {
    const text = formatComparison(
      [compare(result([87_000, 86_000, 88_000], [70_000, 69_000, 71_000], 0.75), 'nginx', 'edge')],
      'nginx',
      'edge',
    );
    const [header, row] = text.split('\n');
    expect(header).toMatch(/^section\s+nginx req\/s\s+edge req\/s\s+edge\/nginx\s+target/);
    expect(row).toMatch(
      /^hits, 1 KB\s+87,000\s+70,000\s+0\.80x\s+>=0\.75x met\s+1\.00 \/ 5\.00\s+2\.00 \/ 9\.00/,
    );
    expect(text).toContain(
      'hits, 1 KB: nginx 86,000-88,000, edge 69,000-71,000 req/s; edge/nginx by round 0.80 0.80 0.81; ' +
        'new origin connections per run 0 / 0',
    );
  });

  it('says MISSED when the edge is below the target', () => {
    const text = formatComparison(
      [compare(result([100], [50], 0.6), 'nginx', 'edge')],
      'nginx',
      'edge',
    );
    expect(text).toContain('0.50x  >=0.60x MISSED');
  });
});
