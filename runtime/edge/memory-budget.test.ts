import fc from 'fast-check';
import { memoryBudget } from './memory-budget.ts';

const mb = 1024 * 1024;

describe('memoryBudget', () => {
  it('gives one traffic thread the whole budget', () => {
    expect(memoryBudget(256 * mb, 1)).toEqual({ sharedBytes: 256 * mb, workerHotBytes: 0 });
  });

  it('takes the worker threads hot tiers out of the budget', () => {
    // Two threads: the main thread serves from the shared tier, one worker keeps a hot tier.
    expect(memoryBudget(256 * mb, 2)).toEqual({ sharedBytes: 224 * mb, workerHotBytes: 32 * mb });
    expect(memoryBudget(256 * mb, 8)).toEqual({ sharedBytes: 200 * mb, workerHotBytes: 8 * mb });
  });

  it('never hands out more than the budget, and keeps three quarters of it shared', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer({ min: 1, max: 255 }),
        (megabytes, workers) => {
          const total = megabytes * mb;
          const { sharedBytes, workerHotBytes } = memoryBudget(total, workers);
          expect(sharedBytes + (workers - 1) * workerHotBytes).toBeLessThanOrEqual(total);
          expect(sharedBytes).toBeGreaterThanOrEqual(0.75 * total);
          expect(workerHotBytes).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
