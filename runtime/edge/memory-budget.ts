// EDGEPLANE_CACHE_MEMORY_MB is the whole memory of the cache, as Varnish's `-s malloc,<size>`:
// the worker threads' tiers come out of it, not on top of it.
//
// - Without a disk tier, each traffic thread keeps the objects it fetched in its own tier (other
//   threads get them through the primary), so every thread gets an equal share.
// - With a disk tier, every fill goes to the primary's shared store (which writes the disk tier),
//   and a worker's tier only holds copies of objects asked for again: each gets a small share, a
//   quarter of the budget divided by the number of traffic threads, which keeps the shared store
//   at three quarters or more.

import { diskTierPath, type EdgeConfig } from './config.ts';

export interface MemoryBudget {
  /** The primary's shared memory tier (the main thread serves its own traffic from it). */
  sharedBytes: number;
  /** Each worker thread's memory tier. */
  workerBytes: number;
}

export function memoryBudget(
  totalBytes: number,
  workers: number,
  workersKeepFills: boolean,
): MemoryBudget {
  if (workers <= 1) return { sharedBytes: totalBytes, workerBytes: 0 };
  const workerBytes = Math.floor(totalBytes / (workersKeepFills ? workers : 4 * workers));
  return { sharedBytes: totalBytes - (workers - 1) * workerBytes, workerBytes };
}

/** Worker threads keep their own fills unless the primary must see every one for the disk tier. */
export function workersKeepFills(config: Pick<EdgeConfig, 'diskBytes' | 'diskPath'>): boolean {
  return diskTierPath(config) === undefined;
}
