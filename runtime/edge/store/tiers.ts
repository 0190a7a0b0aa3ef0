// What sits behind a process's memory tier. In a single process: the optional disk tier. With
// worker processes: the primary's shared store (its own memory tier plus the disk tier), reached
// over IPC, so an object fetched by one worker is a hit in every other (see cluster.ts).
import type { PurgeRequest } from '../purge.ts';
import type { DiskStore } from './disk-store.ts';
import { type CacheStats, createObjectStore, purgeStore } from './edge-cache.ts';
import type { CachedObject } from './entry.ts';
import type { MemoryStore } from './memory-store.ts';
import { PurgeFence } from './purge-fence.ts';

export interface AcquireResult {
  /** True: this process fetches the object and must call store() or release(). */
  lead: boolean;
  /** The object: already stored, or stored by another process while this one waited. */
  object?: CachedObject;
  /** True when this process waited on another's fill (the answer is a collapsed one). */
  waited?: boolean;
}

export interface SharedTier {
  /** True when other processes fill this tier too, so it may hold a fresher copy than ours. */
  readonly shared: boolean;
  lookup(key: string): Promise<CachedObject | undefined>;
  /**
   * Claims the background revalidation of a key for this process; false when another process
   * is already at it (this one then serves stale without going forward). Ends with store/release.
   */
  claimRevalidation(key: string, staleResponseTime: number): Promise<boolean>;
  /**
   * The fill lock of a key, so concurrent misses in different processes fetch once. With
   * `staleResponseTime` it is a foreground revalidation of that stale copy: only a copy newer than
   * it is handed out instead of the lock.
   */
  acquire(key: string, staleResponseTime?: number): Promise<AcquireResult>;
  /** Stores a filled object and releases its fill lock. */
  store(object: CachedObject): void;
  /** Releases a fill lock without storing (the response was not cacheable). */
  /** With `revalidation`, ends a revalidation claim only, never another process's fill lock. */
  release(key: string, revalidation?: boolean): void;
  /** Applies a purge in every process and tier; resolves with the objects touched. */
  purgeEverywhere(purge: PurgeRequest): Promise<number>;
  stats(): { memory?: CacheStats; disk?: CacheStats };
}

/**
 * The store every worker shares, owned by the primary: memory tier, optional disk tier, and the
 * fill locks that collapse concurrent misses across workers.
 */
export class SharedStore {
  readonly memory: MemoryStore<CachedObject>;
  readonly disk: DiskStore | undefined;
  private readonly locks = new Map<
    string,
    { waiters: ((result: AcquireResult) => void)[]; timer: NodeJS.Timeout; owner: number }
  >();
  private readonly lockTimeoutMs: number;
  private readonly revalidations = new Map<string, NodeJS.Timeout>();
  private readonly fence: PurgeFence;

  constructor(options: {
    maxBytes: number;
    maxObjects: number;
    disk?: DiskStore;
    lockTimeoutMs: number;
  }) {
    this.memory = createObjectStore(options.maxBytes, options.maxObjects);
    this.disk = options.disk;
    this.lockTimeoutMs = options.lockTimeoutMs;
    this.fence = new PurgeFence(options.lockTimeoutMs);
  }

  async lookup(key: string): Promise<CachedObject | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined || this.disk === undefined) return inMemory;
    const fromDisk = await this.disk.get(key);
    if (fromDisk !== undefined) this.memory.set(key, fromDisk);
    return fromDisk;
  }

  /**
   * `owner` identifies the process holding the lock, so its locks end if it dies (releaseOwner).
   * `staleResponseTime`: a revalidation of a stale copy, which takes the lock like a miss unless
   * a newer copy is stored (another process revalidated it meanwhile).
   * Answers at once (no promise) when the lock is free and the memory tier decides: the
   * primary does this for every miss of every worker.
   */
  acquire(
    key: string,
    owner = 0,
    staleResponseTime?: number,
  ): AcquireResult | Promise<AcquireResult> {
    const lock = this.locks.get(key);
    if (lock !== undefined) return new Promise((resolve) => lock.waiters.push(resolve));
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined && usableFor(inMemory, staleResponseTime))
      return { lead: false, object: inMemory };
    if (this.disk === undefined || inMemory !== undefined) return this.lock(key, owner);
    return this.acquireFromDisk(this.disk, key, owner, staleResponseTime);
  }

  private async acquireFromDisk(
    disk: DiskStore,
    key: string,
    owner: number,
    staleResponseTime: number | undefined,
  ): Promise<AcquireResult> {
    const fromDisk = await disk.get(key);
    if (fromDisk !== undefined) {
      this.memory.set(key, fromDisk);
      if (usableFor(fromDisk, staleResponseTime)) return { lead: false, object: fromDisk };
    }
    // The read from disk may have let another acquire in meanwhile.
    const raced = this.locks.get(key);
    if (raced !== undefined) return new Promise((resolve) => raced.waiters.push(resolve));
    return this.lock(key, owner);
  }

  private lock(key: string, owner: number): AcquireResult {
    const timer = setTimeout(() => this.finish(key, { lead: false }), this.lockTimeoutMs);
    timer.unref();
    this.locks.set(key, { waiters: [], timer, owner });
    return { lead: true };
  }

  /** Ends every fill lock a dead process held: its waiters go to the origin themselves. */
  releaseOwner(owner: number): void {
    for (const [key, lock] of [...this.locks])
      if (lock.owner === owner) this.finish(key, { lead: false });
  }

  /**
   * Refused while another process revalidates, and when the stored copy is already newer than
   * the claimer's stale one (another process refreshed it between the claimer's look and claim).
   */
  claimRevalidation(key: string, staleResponseTime: number): boolean {
    if (this.revalidations.has(key)) return false;
    const stored = this.memory.peek(key);
    if (stored?.variants.some((variant) => variant.responseTime > staleResponseTime)) return false;
    const timer = setTimeout(() => this.revalidations.delete(key), this.lockTimeoutMs);
    timer.unref();
    this.revalidations.set(key, timer);
    return true;
  }

  store(object: CachedObject): void {
    if (!this.fence.admit(object)) {
      this.release(object.key);
      return;
    }
    this.endRevalidation(object.key);
    this.memory.set(object.key, object);
    this.disk?.set(object).catch(() => {});
    this.finish(object.key, { lead: false, object });
  }

  release(key: string, revalidation = false): void {
    this.endRevalidation(key);
    if (!revalidation) this.finish(key, { lead: false });
  }

  private endRevalidation(key: string): void {
    const timer = this.revalidations.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.revalidations.delete(key);
  }

  purge(purge: PurgeRequest, nowMs: number): number {
    this.fence.record(purge, nowMs);
    const inMemory = purgeStore(this.memory, purge, nowMs);
    const onDisk = this.disk?.purge(purge) ?? 0;
    return Math.max(inMemory, onDisk);
  }

  private finish(key: string, result: AcquireResult): void {
    const lock = this.locks.get(key);
    if (lock === undefined) return;
    this.locks.delete(key);
    clearTimeout(lock.timer);
    for (const waiter of lock.waiters) waiter({ ...result, waited: true });
  }
}

/** A single process: the memory tier is the edge cache's own; behind it only the disk tier. */
export class LocalTier implements SharedTier {
  readonly shared = false;
  private readonly disk: DiskStore | undefined;
  private readonly purgeLocal: (purge: PurgeRequest) => number;

  constructor(disk: DiskStore | undefined, purgeLocal: (purge: PurgeRequest) => number) {
    this.disk = disk;
    this.purgeLocal = purgeLocal;
  }

  async lookup(key: string): Promise<CachedObject | undefined> {
    return this.disk?.get(key);
  }
  async acquire(key: string, staleResponseTime?: number): Promise<AcquireResult> {
    // One process: its own memory tier already holds the newest copy, and a promise per key
    // collapses its revalidations.
    if (staleResponseTime !== undefined) return { lead: true };
    const object = await this.disk?.get(key);
    return object === undefined ? { lead: true } : { lead: false, object };
  }
  async claimRevalidation(): Promise<boolean> {
    return true;
  }
  store(object: CachedObject): void {
    this.disk?.set(object).catch(() => {});
  }
  release(): void {}
  async purgeEverywhere(purge: PurgeRequest): Promise<number> {
    const local = this.purgeLocal(purge);
    const onDisk = this.disk?.purge(purge) ?? 0;
    await this.disk?.settled();
    return Math.max(local, onDisk);
  }
  stats() {
    const disk = this.disk;
    return disk === undefined
      ? {}
      : { disk: { bytes: disk.bytes, objects: disk.objects, evictions: disk.evictions } };
  }
}

/** Any stored copy answers a miss; a revalidation needs one newer than the stale copy it holds. */
function usableFor(object: CachedObject, staleResponseTime: number | undefined): boolean {
  return (
    staleResponseTime === undefined ||
    object.variants.some((variant) => variant.responseTime > staleResponseTime)
  );
}
