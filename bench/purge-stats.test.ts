import {
  formatPurgeSummary,
  percentile,
  purgeTargetP99Ms,
  slowestEdgeMs,
  summarisePurges,
} from './purge-stats.ts';

describe('percentile', () => {
  it('is the nearest rank: p50 of 1..100 is 50, p99 is 99, p100 the max', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('over 200 samples, p99 leaves out the two slowest: a third slow purge shows', () => {
    expect(percentile([...Array.from({ length: 198 }, () => 10), 150, 300], 99)).toBe(10);
    expect(percentile([...Array.from({ length: 197 }, () => 10), 120, 150, 300], 99)).toBe(120);
  });
});

describe('summarisePurges', () => {
  it('takes the slowest edge of each purge', () => {
    expect(slowestEdgeMs({ edgeMs: [3, 9, 4], apiMs: 2 })).toBe(9);
    expect(slowestEdgeMs({ edgeMs: [3, undefined], apiMs: 2 })).toBeUndefined();
  });

  it('gives p50, p99 and max of the slowest edge, and meets the target when p99 is within it', () => {
    const samples = Array.from({ length: 200 }, (_, index) => ({
      edgeMs: [1, 2, index < 199 ? 20 + (index % 10) : 95],
      apiMs: 3,
    }));
    const summary = summarisePurges(samples);
    expect(summary).toMatchObject({ purges: 200, timedOut: 0, maxMs: 95, apiP50Ms: 3 });
    expect(summary.p50Ms).toBe(24);
    expect(summary.p99Ms).toBe(29);
    expect(summary.anyEdgeP50Ms).toBe(2);
    expect(summary.meetsTarget).toBe(true);
  });

  it('misses the target when p99 is over it, or when any edge never applied a purge', () => {
    const slow = Array.from({ length: 10 }, () => ({ edgeMs: [purgeTargetP99Ms + 1], apiMs: 1 }));
    expect(summarisePurges(slow).meetsTarget).toBe(false);
    const lost = [
      { edgeMs: [5], apiMs: 1 },
      { edgeMs: [5, undefined], apiMs: 1 },
    ];
    expect(summarisePurges(lost)).toMatchObject({ timedOut: 1, p99Ms: 5, meetsTarget: false });
    expect(summarisePurges([]).meetsTarget).toBe(false);
  });
});

describe('formatPurgeSummary', () => {
  it('prints the figures next to the target, and lost purges loudly', () => {
    const lines = formatPurgeSummary(
      summarisePurges([
        { edgeMs: [12.34, 20], apiMs: 4 },
        { edgeMs: [10, undefined], apiMs: 5 },
      ]),
      8,
    );
    expect(lines[0]).toContain('until all 8 edges stop serving the object');
    expect(lines[1]).toBe(
      '  purges 2, p50 20.0 ms, p99 20.0 ms, max 20.0 ms; target p99 <= 100 ms MISSED',
    );
    expect(lines[2]).toContain('1 purges NOT APPLIED by every edge in time');
  });
});
