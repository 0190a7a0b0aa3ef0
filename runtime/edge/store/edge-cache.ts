// The cache of one process: the memory tier (L1) in front of a SharedTier, which is what makes
// the hit ratio whole across workers (see tiers.ts). Purges apply to L1 here; the shared tier
// fans them out to the other processes.
import type { PurgeRequest } from '../purge.ts';
import { purgeMatches } from '../purge.ts';
import { type CachedObject, objectSize } from './entry.ts';
import { MemoryStore } from './memory-store.ts';

export interface CacheStats {
  bytes: number;
  objects: number;
  evictions: number;
}

/** Applies a purge to one memory store; returns how many objects it touched. */
export function purgeStore(
  store: MemoryStore<CachedObject>,
  purge: PurgeRequest,
  nowMs: number,
  onRemoved?: (key: string) => void,
): number {
  let touched = 0;
  const doomed: string[] = [];
  for (const object of store.values()) {
    if (!purgeMatches(purge, object)) continue;
    touched++;
    if (purge.mode === 'hard') doomed.push(object.key);
    else for (const variant of object.variants) variant.invalidatedAt ??= nowMs;
  }
  for (const key of doomed) {
    store.delete(key);
    onRemoved?.(key);
  }
  return touched;
}

export function createObjectStore(
  maxBytes: number,
  maxObjects: number,
  onEvict?: (key: string) => void,
  onHeld?: (key: string, delta: 1 | -1) => void,
): MemoryStore<CachedObject> {
  return new MemoryStore<CachedObject>({
    maxBytes,
    maxObjects,
    sizeOf: objectSize,
    onEvict,
    onHeld,
  });
}
