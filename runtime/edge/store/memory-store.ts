// The memory tier: a byte-bounded, count-bounded LRU. The recency order is lru-cache's, kept in
// typed arrays. A JavaScript Map used as the LRU (touch = delete + set, evict the first key) was
// what this was before: every delete leaves a hole at the Map's front that each later "first key"
// walks past until the table is rebuilt, so an eviction cost 22 µs growing to 170 µs with 200,000
// entries (bench/memory-tier-evictions.ts), and a full tier's misses slowed down with every
// object it held.
import { LRUCache } from 'lru-cache';

export interface MemoryStoreOptions<T> {
  maxBytes: number;
  maxObjects: number;
  /** Bytes a value costs. */
  sizeOf: (value: T) => number;
  onEvict?: (key: string, value: T) => void;
  /** A key entered the tier (+1) or left it (-1: evicted, deleted, purged, replaced, cleared). */
  onHeld?: (key: string, delta: 1 | -1) => void;
}

export class MemoryStore<T extends object> {
  private readonly entries: LRUCache<string, T>;
  /** Bytes counted here rather than by lru-cache, which refuses entries of size 0. */
  private readonly sizes = new Map<string, number>();
  private bytesHeld = 0;
  private evicted = 0;
  private readonly options: MemoryStoreOptions<T>;

  constructor(options: MemoryStoreOptions<T>) {
    this.options = options;
    this.entries = new LRUCache<string, T>({
      max: Math.max(1, options.maxObjects),
      // Called for every removal: evictions (count bound, or evictToFit's pop) and deletes.
      dispose: (_value, key, reason) => {
        this.bytesHeld -= this.sizes.get(key) ?? 0;
        this.sizes.delete(key);
        if (reason === 'evict') this.evicted++;
      },
      // Once the entry is gone (dispose runs while it is still there): onEvict may look it up.
      disposeAfter: (value, key, reason) => {
        if (reason === 'evict') this.options.onEvict?.(key, value);
        // set() deletes a key before storing it again, so every disposal here is a removal.
        this.options.onHeld?.(key, -1);
      },
    });
  }

  get bytes(): number {
    return this.bytesHeld;
  }
  get objects(): number {
    return this.entries.size;
  }
  get evictions(): number {
    return this.evicted;
  }

  /** The entry, marked most recently used. */
  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  /** The entry without changing its recency (purge scans, tests). */
  peek(key: string): T | undefined {
    return this.entries.peek(key);
  }

  /** Stores an entry, evicting least recently used ones; an entry larger than the bound is refused. */
  set(key: string, value: T): boolean {
    const size = this.options.sizeOf(value);
    this.delete(key);
    if (size > this.options.maxBytes) return false;
    // Counted before the set: a set that evicts for the count bound disposes of another key.
    this.sizes.set(key, size);
    this.bytesHeld += size;
    this.entries.set(key, value);
    this.evictToFit();
    const held = this.entries.has(key);
    if (held) this.options.onHeld?.(key, 1);
    return held;
  }

  /** Re-measures a value changed in place (a variant added, headers updated by a 304). */
  resize(key: string): void {
    const value = this.entries.peek(key);
    if (value === undefined) return;
    const size = this.options.sizeOf(value);
    this.bytesHeld += size - (this.sizes.get(key) ?? 0);
    this.sizes.set(key, size);
    this.evictToFit();
  }

  /** Keys from the least to the most recently used. */
  keys(): IterableIterator<string> {
    return this.entries.rkeys();
  }

  delete(key: string): T | undefined {
    const entry = this.entries.peek(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    return entry;
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }

  clear(): void {
    this.entries.clear();
  }

  private evictToFit(): void {
    while (this.bytesHeld > this.options.maxBytes && this.entries.size > 0) this.entries.pop();
  }
}
