// The memory tier: a byte-bounded, count-bounded LRU. A JavaScript Map keeps insertion order, so
// "touch" is delete + set and the eviction victim is the first key: O(1) each, no linked list
// objects per entry (PITFALLS: heap pressure grows with per-entry objects).

export interface MemoryStoreOptions<T> {
  maxBytes: number;
  maxObjects: number;
  /** Bytes a value costs. */
  sizeOf: (value: T) => number;
  onEvict?: (key: string, value: T) => void;
}

export class MemoryStore<T> {
  private readonly entries = new Map<string, T>();
  private readonly sizes = new Map<string, number>();
  private bytesHeld = 0;
  private evicted = 0;
  private readonly options: MemoryStoreOptions<T>;

  constructor(options: MemoryStoreOptions<T>) {
    this.options = options;
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
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** The entry without changing its recency (purge scans, tests). */
  peek(key: string): T | undefined {
    return this.entries.get(key);
  }

  /** Stores an entry, evicting least recently used ones; an entry larger than the bound is refused. */
  set(key: string, value: T): boolean {
    const size = this.options.sizeOf(value);
    if (size > this.options.maxBytes) {
      this.delete(key);
      return false;
    }
    this.delete(key);
    this.entries.set(key, value);
    this.sizes.set(key, size);
    this.bytesHeld += size;
    this.evictToFit();
    return this.entries.has(key);
  }

  /** Re-measures a value changed in place (a variant added, headers updated by a 304). */
  resize(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    const size = this.options.sizeOf(value);
    this.bytesHeld += size - (this.sizes.get(key) ?? 0);
    this.sizes.set(key, size);
    this.evictToFit();
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  delete(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.bytesHeld -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
    return entry;
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }

  clear(): void {
    this.entries.clear();
    this.sizes.clear();
    this.bytesHeld = 0;
  }

  private evictToFit(): void {
    while (this.bytesHeld > this.options.maxBytes || this.entries.size > this.options.maxObjects) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      const value = this.delete(oldest.value);
      this.evicted++;
      if (value !== undefined) this.options.onEvict?.(oldest.value, value);
    }
  }
}
