// What sits behind a thread's memory tier. In a single thread: the optional disk tier. With worker
// threads: the primary's shared store (its own memory tier plus the disk tier), reached over each
// worker's MessagePort, which also fetches objects other workers hold, so an object fetched by one
// worker is a hit in every other; fill locks are held in shared memory (fill-table.ts).
import type { PurgeRequest } from '../purge.ts';
import type { DiskStore } from './disk-store.ts';
import { type CacheStats, createObjectStore, purgeStore } from './edge-cache.ts';
import type { CachedObject } from './entry.ts';
import type { FillTable } from './fill-table.ts';
import type { MemoryStore } from './memory-store.ts';
import { PurgeFence } from './purge-fence.ts';

export interface AcquireResult {
  /** True: this process fetches the object and must call store() or release(). */
  lead: boolean;
  /** The object: already stored, or stored by another process while this one waited. */
  object?: CachedObject;
  /**
   * True when this process waited on another's fill that did not yet have its whole response (the
   * answer is a collapsed one). A wait that began after it had (fill-table.ts markComplete) is
   * only for the store to arrive, and its answer a hit.
   */
  waited?: boolean;
  /** The lead's fill-table token, when the primary granted the lock (so the fill can mark it). */
  token?: number;
}

export interface SharedTier {
  /** True when other processes fill this tier too, so it may hold a fresher copy than ours. */
  readonly shared: boolean;
  /**
   * True when this tier holds what this thread fills, so the thread's own memory tier need not:
   * it takes an object when it is asked for it again (see fill.ts keep).
   */
  readonly holdsFills: boolean;
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
  /**
   * Releases a fill lock without storing (the response was not cacheable). With `revalidation`,
   * ends a revalidation claim only, never another process's fill lock.
   */
  release(key: string, revalidation?: boolean): void;
  /**
   * This process's fill of `key` has its whole response and will store it: called before its
   * client's response ends, so a request that comes after that is a hit, not a collapsed miss,
   * even if it reaches another thread before the store reaches the primary. Only a worker
   * thread's tier needs it (its store is a message); the others store at once.
   */
  markComplete?(key: string): void;
  /** Applies a purge in every process and tier; resolves with the objects touched. */
  purgeEverywhere(purge: PurgeRequest): Promise<number>;
  stats(): { memory?: CacheStats; disk?: CacheStats };
}

/** An acquire waiting for a fill-table slot held by a fill of this or another key. */
interface SlotWaiter {
  key: string;
  owner: number;
  staleResponseTime: number | undefined;
  /** The slot's fill had its whole response when this wait began (see AcquireResult.waited). */
  complete: boolean;
  resolve: (result: AcquireResult | Promise<AcquireResult>) => void;
}

/**
 * Asks the worker thread that holds `key` (fill-table.ts holderOf) for it, on behalf of thread
 * `asker`; undefined when no other live worker is known to hold it.
 */
export type HolderFetch = (
  key: string,
  asker: number,
) => Promise<CachedObject | undefined> | undefined;

/**
 * The store every worker shares, owned by the primary: memory tier, optional disk tier, and the
 * fill locks that collapse concurrent misses across workers. With a fill table, every lock also
 * holds its key's slot there, and workers take free slots themselves (fill-table.ts): the primary
 * learns of such a fill only when someone waits on its slot (then its store or release comes here,
 * with the worker's token). Workers that keep their own fills are asked for them (`fromHolder`)
 * when another thread misses on them: the copy is kept here too, for the next thread.
 */
export class SharedStore {
  readonly memory: MemoryStore<CachedObject>;
  readonly disk: DiskStore | undefined;
  private readonly locks = new Map<
    string,
    {
      waiters: ((result: AcquireResult) => void)[];
      timer: NodeJS.Timeout;
      owner: number;
      token: number;
    }
  >();
  private readonly lockTimeoutMs: number;
  private readonly revalidations = new Map<string, NodeJS.Timeout>();
  /** Purges against fills in flight; also the fence of the primary thread's own traffic. */
  readonly fence: PurgeFence;
  private readonly fills: FillTable | undefined;
  private readonly fromHolder: HolderFetch | undefined;
  private readonly slotWaiters = new Map<
    number,
    { waiters: SlotWaiter[]; timer: NodeJS.Timeout }
  >();
  /** Keys counted in the fill table's presence (held in memory or on disk). */
  private readonly present = new Set<string>();

  constructor(options: {
    maxBytes: number;
    maxObjects: number;
    disk?: DiskStore;
    lockTimeoutMs: number;
    fills?: FillTable;
    fromHolder?: HolderFetch;
  }) {
    this.fills = options.fills;
    this.fromHolder = options.fromHolder;
    const notePresence = (key: string) => this.notePresence(key);
    this.memory = createObjectStore(options.maxBytes, options.maxObjects, notePresence);
    this.disk = options.disk;
    this.lockTimeoutMs = options.lockTimeoutMs;
    this.fence = new PurgeFence(options.lockTimeoutMs);
    if (this.fills !== undefined && this.disk !== undefined) {
      this.disk.watchKeys(notePresence);
      for (const key of this.disk.keys()) this.notePresence(key);
    }
  }

  /** `asker`: the thread looking, which is not asked for the key itself. */
  async lookup(key: string, asker = 0): Promise<CachedObject | undefined> {
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined) return inMemory;
    const fromDisk = await this.disk?.get(key);
    if (fromDisk !== undefined) {
      this.setInMemory(fromDisk);
      return fromDisk;
    }
    const fromHolder = await this.fromHolder?.(key, asker);
    if (fromHolder === undefined || !this.fence.admit(fromHolder)) return undefined;
    if (this.memory.peek(key) === undefined) this.setInMemory(fromHolder);
    return fromHolder;
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
    if (lock !== undefined) return this.waitForLock(key, lock, owner, staleResponseTime);
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined && usableFor(inMemory, staleResponseTime))
      return { lead: false, object: inMemory };
    if (this.disk === undefined || inMemory !== undefined)
      return this.lockOrAskHolder(key, owner, staleResponseTime);
    return this.acquireFromDisk(this.disk, key, owner, staleResponseTime);
  }

  /**
   * Takes the lock; when another worker holds the key, asks it under that lock (so other misses
   * wait for the answer) and hands its copy out instead of the lock.
   */
  private lockOrAskHolder(
    key: string,
    owner: number,
    staleResponseTime: number | undefined,
  ): AcquireResult | Promise<AcquireResult> {
    const granted = this.lock(key, owner, staleResponseTime);
    if (granted instanceof Promise) return granted;
    const asking = this.fromHolder?.(key, owner);
    if (asking === undefined) return granted;
    const lock = this.locks.get(key);
    return asking.then((object) => {
      if (
        object === undefined ||
        !usableFor(object, staleResponseTime) ||
        !this.fence.admit(object) ||
        this.locks.get(key) !== lock
      )
        return granted;
      this.setInMemory(object);
      this.finish(key, { lead: false, object });
      return { lead: false, object };
    });
  }

  private async acquireFromDisk(
    disk: DiskStore,
    key: string,
    owner: number,
    staleResponseTime: number | undefined,
  ): Promise<AcquireResult> {
    const fromDisk = await disk.get(key);
    if (fromDisk !== undefined) {
      this.setInMemory(fromDisk);
      if (usableFor(fromDisk, staleResponseTime)) return { lead: false, object: fromDisk };
    }
    // The read from disk may have let another acquire in meanwhile.
    const raced = this.locks.get(key);
    if (raced !== undefined) return this.waitForLock(key, raced, owner, staleResponseTime);
    return this.lockOrAskHolder(key, owner, staleResponseTime);
  }

  private waitForLock(
    key: string,
    lock: { waiters: ((result: AcquireResult) => void)[] },
    owner: number,
    staleResponseTime: number | undefined,
  ): Promise<AcquireResult> {
    // Its slot holds this lock's token, so whether the slot is complete is this fill's state.
    const complete = this.fills?.slotOf(key).complete === true;
    return new Promise((resolve) =>
      lock.waiters.push((result) =>
        resolve(
          this.unlessTooOld(result, key, owner, staleResponseTime) ??
            (complete ? { ...result, waited: false } : result),
        ),
      ),
    );
  }

  /**
   * A revalidation that waited on a lock which ended with a copy no newer than its own (the lock
   * fetched a copy from the worker holding it, not from the origin) asks again, so it waits for, or
   * takes, the lock of the revalidation itself instead of going to the origin without one.
   */
  private unlessTooOld(
    result: AcquireResult,
    key: string,
    owner: number,
    staleResponseTime: number | undefined,
  ): AcquireResult | Promise<AcquireResult> | undefined {
    if (result.object === undefined || usableFor(result.object, staleResponseTime))
      return undefined;
    return this.acquire(key, owner, staleResponseTime);
  }

  private lock(
    key: string,
    owner: number,
    staleResponseTime: number | undefined,
  ): AcquireResult | Promise<AcquireResult> {
    let token = 0;
    if (this.fills !== undefined) {
      token = this.fills.token(owner);
      if (!this.fills.take(key, token)) return this.waitForSlot(key, owner, staleResponseTime);
    }
    const timer = setTimeout(() => this.finish(key, { lead: false }), this.lockTimeoutMs);
    timer.unref();
    this.locks.set(key, { waiters: [], timer, owner, token });
    return token === 0 ? { lead: true } : { lead: true, token };
  }

  /**
   * The slot is held by a fill (a worker's own, of this key or one of the same hash): wait for its
   * end. Past the lock timeout the waiters go to the origin themselves, as a lock's waiters do.
   */
  private waitForSlot(
    key: string,
    owner: number,
    staleResponseTime: number | undefined,
  ): AcquireResult | Promise<AcquireResult> {
    const fills = this.fills as FillTable;
    const { slot, complete } = fills.slotOf(key);
    // Flagged, the worker's fill ends through this store (its store or release wakes the waiters);
    // a slot freed meanwhile means that fill ended: look again.
    if (!fills.markWaited(key)) return this.acquire(key, owner, staleResponseTime);
    let entry = this.slotWaiters.get(slot);
    if (entry === undefined) {
      const timer = setTimeout(() => {
        this.slotWaiters.delete(slot);
        for (const waiter of entry?.waiters ?? []) waiter.resolve({ lead: false, waited: true });
      }, this.lockTimeoutMs);
      timer.unref();
      entry = { waiters: [], timer };
      this.slotWaiters.set(slot, entry);
    }
    const waiters = entry.waiters;
    return new Promise((resolve) =>
      waiters.push({ key, owner, staleResponseTime, complete, resolve }),
    );
  }

  /**
   * A slot was freed after the fill of `key` ended with `result`: its waiters for that key get the
   * result; waiters for other keys of the same slot try again.
   */
  private wakeSlot(slot: number, key: string | undefined, result: AcquireResult): void {
    const entry = this.slotWaiters.get(slot);
    if (entry === undefined) return;
    this.slotWaiters.delete(slot);
    clearTimeout(entry.timer);
    for (const waiter of entry.waiters) {
      if (waiter.key === key)
        waiter.resolve(
          this.unlessTooOld(result, key, waiter.owner, waiter.staleResponseTime) ?? {
            ...result,
            waited: !waiter.complete,
          },
        );
      else waiter.resolve(this.acquire(waiter.key, waiter.owner, waiter.staleResponseTime));
    }
  }

  /** Ends every fill lock a dead process held: its waiters go to the origin themselves. */
  releaseOwner(owner: number): void {
    for (const [key, lock] of [...this.locks])
      if (lock.owner === owner) this.finish(key, { lead: false });
    // Slots it took itself: the keys are not known here, so their waiters try again.
    for (const slot of this.fills?.freeOwner(owner) ?? [])
      this.wakeSlot(slot, undefined, { lead: false });
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

  /** `token`: the fill-table token of a lock the worker took itself. */
  store(object: CachedObject, token?: number): void {
    if (!this.fence.admit(object)) {
      this.release(object.key, false, token);
      return;
    }
    this.endRevalidation(object.key);
    this.setInMemory(object);
    this.disk?.set(object).catch(() => {});
    this.finish(object.key, { lead: false, object }, token);
  }

  release(key: string, revalidation = false, token?: number): void {
    this.endRevalidation(key);
    if (!revalidation) this.finish(key, { lead: false }, token);
  }

  /**
   * Frees a slot a worker took with `token` but did not fill from (the key was stored just as it
   * took it): the slot's waiters, of this key or another, look again.
   */
  freeSlot(key: string, token: number): void {
    const slot = this.fills?.free(key, token);
    if (slot !== undefined) this.wakeSlot(slot, undefined, { lead: false });
  }

  private setInMemory(object: CachedObject): void {
    // The primary thread's own fills put the object in this same tier just before (fill.ts keep).
    if (this.memory.peek(object.key) !== object) this.memory.set(object.key, object);
    this.notePresence(object.key);
  }

  /** Counts `key` in the fill table's presence while the memory or disk tier holds it. */
  private notePresence(key: string): void {
    if (this.fills === undefined) return;
    const held = this.memory.peek(key) !== undefined || this.disk?.has(key) === true;
    if (held === this.present.has(key)) return;
    if (held) this.present.add(key);
    else this.present.delete(key);
    this.fills.countPresence(key, held ? 1 : -1);
  }

  private endRevalidation(key: string): void {
    const timer = this.revalidations.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.revalidations.delete(key);
  }

  purge(purge: PurgeRequest, nowMs: number): number {
    this.fence.record(purge, nowMs);
    const inMemory = purgeStore(this.memory, purge, nowMs, (key) => this.notePresence(key));
    const onDisk = this.disk?.purge(purge) ?? 0;
    return Math.max(inMemory, onDisk);
  }

  private finish(key: string, result: AcquireResult, token?: number): void {
    const lock = this.locks.get(key);
    let held = token;
    if (lock !== undefined) {
      this.locks.delete(key);
      clearTimeout(lock.timer);
      held = lock.token;
      for (const waiter of lock.waiters) waiter({ ...result, waited: true });
    }
    if (this.fills === undefined || held === undefined || held === 0) return;
    const slot = this.fills.free(key, held);
    if (slot !== undefined) this.wakeSlot(slot, key, result);
  }
}

/**
 * The primary thread's own traffic: its memory tier is the shared store's, and the store's locks,
 * disk tier and purges are reached by plain calls, with no message.
 */
export class PrimaryThreadTier implements SharedTier {
  readonly shared = true;
  // This thread's memory tier is the shared store's own.
  readonly holdsFills = false;
  private readonly sharedStore: SharedStore;
  private readonly owner: number;
  private readonly purgeAll: (purge: PurgeRequest) => Promise<number>;

  constructor(
    sharedStore: SharedStore,
    owner: number,
    purgeAll: (purge: PurgeRequest) => Promise<number>,
  ) {
    this.sharedStore = sharedStore;
    this.owner = owner;
    this.purgeAll = purgeAll;
  }

  lookup(key: string): Promise<CachedObject | undefined> {
    return this.sharedStore.lookup(key, this.owner);
  }
  async acquire(key: string, staleResponseTime?: number): Promise<AcquireResult> {
    return this.sharedStore.acquire(key, this.owner, staleResponseTime);
  }
  async claimRevalidation(key: string, staleResponseTime: number): Promise<boolean> {
    return this.sharedStore.claimRevalidation(key, staleResponseTime);
  }
  store(object: CachedObject): void {
    this.sharedStore.store(object);
  }
  release(key: string, revalidation = false): void {
    this.sharedStore.release(key, revalidation);
  }
  purgeEverywhere(purge: PurgeRequest): Promise<number> {
    return this.purgeAll(purge);
  }
  stats() {
    return {};
  }
}

/** A single process: the memory tier is the edge cache's own; behind it only the disk tier. */
export class LocalTier implements SharedTier {
  readonly shared = false;
  readonly holdsFills = false;
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
