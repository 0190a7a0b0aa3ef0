import fc from 'fast-check';
import { memoryBudget, workersKeepFills } from './memory-budget.ts';

const mb = 1024 * 1024;

describe('memoryBudget', () => {
  it('gives one traffic thread the whole budget', () => {
    expect(memoryBudget(256 * mb, 1, true)).toEqual({ sharedBytes: 256 * mb, workerBytes: 0 });
    expect(memoryBudget(256 * mb, 1, false)).toEqual({ sharedBytes: 256 * mb, workerBytes: 0 });
  });

  it('shares the budget equally when workers keep their own fills', () => {
    expect(memoryBudget(256 * mb, 2, true)).toEqual({
      sharedBytes: 128 * mb,
      workerBytes: 128 * mb,
    });
    expect(memoryBudget(256 * mb, 8, true)).toEqual({ sharedBytes: 32 * mb, workerBytes: 32 * mb });
  });

  it('gives workers small hot tiers when every fill goes to the shared store', () => {
    expect(memoryBudget(256 * mb, 2, false)).toEqual({
      sharedBytes: 224 * mb,
      workerBytes: 32 * mb,
    });
    expect(memoryBudget(256 * mb, 8, false)).toEqual({
      sharedBytes: 200 * mb,
      workerBytes: 8 * mb,
    });
  });

  it('never hands out more than the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        (megabytes, workers, keep) => {
          const total = megabytes * mb;
          const { sharedBytes, workerBytes } = memoryBudget(total, workers, keep);
          expect(sharedBytes + (workers - 1) * workerBytes).toBeLessThanOrEqual(total);
          expect(sharedBytes).toBeGreaterThanOrEqual(keep ? total / workers : 0.75 * total);
          expect(workerBytes).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('keeps fills in the workers unless there is a disk tier', () => {
    expect(workersKeepFills({ diskBytes: 0, diskPath: undefined })).toBe(true);
    expect(workersKeepFills({ diskBytes: 0, diskPath: '/var/cache/edge' })).toBe(true);
    expect(workersKeepFills({ diskBytes: mb, diskPath: undefined })).toBe(true);
    expect(workersKeepFills({ diskBytes: mb, diskPath: '/var/cache/edge' })).toBe(false);
  });
});
