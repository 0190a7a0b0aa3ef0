// EDGEPLANE_CACHE_MEMORY_MB is the whole memory of the cache, as Varnish's `-s malloc,<size>`:
// the worker threads' hot tiers come out of it, not on top of it. They hold copies of objects the
// shared store also holds, so they get a small share: each a quarter of the budget divided by the
// number of traffic threads, which keeps the shared store at three quarters or more.

export interface MemoryBudget {
  /** The primary's shared memory tier. */
  sharedBytes: number;
  /** Each worker thread's hot tier (the main thread serves from the shared tier itself). */
  workerHotBytes: number;
}

export function memoryBudget(totalBytes: number, workers: number): MemoryBudget {
  if (workers <= 1) return { sharedBytes: totalBytes, workerHotBytes: 0 };
  const workerHotBytes = Math.floor(totalBytes / (4 * workers));
  return { sharedBytes: totalBytes - (workers - 1) * workerHotBytes, workerHotBytes };
}
