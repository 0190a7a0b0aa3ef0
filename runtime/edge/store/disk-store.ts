// The optional disk tier: one file per cached object under EDGEPLANE_CACHE_DISK_PATH, bounded by
// bytes and by objects (EDGEPLANE_CACHE_MAX_OBJECTS) with LRU eviction, and rebuilt from the files
// at start so the cache survives a restart.
// File layout: object-codec.ts.
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { PurgeRequest } from '../purge.ts';
import { purgeMatches } from '../purge.ts';
import type { CachedObject, StoredVariant } from './entry.ts';
import { decodeObject, encodeObject, type ObjectHeader } from './object-codec.ts';

interface DiskIndexEntry {
  file: string;
  size: number;
  siteId: string;
  path: string;
  tags: string[];
}

const suffix = '.obj';

export class DiskStore {
  /**
   * Objects on disk in least to most recently used order. lru-cache keeps that order in arrays: a
   * Map used this way (delete + set, evict its first key) walks past a hole per earlier eviction
   * (see memory-store.ts).
   */
  private readonly index = new LRUCache<string, DiskIndexEntry>({
    // Bounded by the bytes counted here; lru-cache wants some bound, and 1 per entry never binds.
    maxSize: Number.MAX_SAFE_INTEGER,
    sizeCalculation: () => 1,
  });
  private readonly unlinking = new Set<Promise<void>>();
  /** Told of every key added to or removed from the index (not of reads). */
  private keyWatcher: ((key: string) => void) | undefined;
  /** Purges applied while writes were in flight (a write that ends after one checks it). */
  private purgesDuringWrites: PurgeRequest[] = [];
  private purgesDropped = 0;
  private writing = 0;
  private bytesHeld = 0;
  private evicted = 0;
  readonly directory: string;
  private readonly maxBytes: number;
  private readonly maxObjects: number;

  /**
   * `maxObjects` bounds the index, which the primary keeps in its heap (~420 bytes per object,
   * more than a 1 KB object's file is worth in memory): a disk tier of small objects would
   * otherwise hold hundreds of megabytes of index that no memory bound counts.
   */
  constructor(directory: string, maxBytes: number, maxObjects = Number.POSITIVE_INFINITY) {
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.maxObjects = maxObjects;
  }

  get bytes(): number {
    return this.bytesHeld;
  }
  get objects(): number {
    return this.index.size;
  }
  get evictions(): number {
    return this.evicted;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  keys(): IterableIterator<string> {
    return this.index.rkeys();
  }

  watchKeys(watcher: (key: string) => void): void {
    this.keyWatcher = watcher;
  }

  /** Reads every object header in the directory, oldest first, so LRU order survives roughly. */
  async load(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const found: { key: string; entry: DiskIndexEntry; mtime: number }[] = [];
    for (const name of await readdir(this.directory)) {
      const file = join(this.directory, name);
      if (!name.endsWith(suffix)) {
        if (name.endsWith('.tmp')) await unlink(file).catch(() => {});
        continue;
      }
      try {
        const header = await readHeader(file);
        const info = await stat(file);
        found.push({
          key: header.key,
          mtime: info.mtimeMs,
          entry: {
            file,
            size: info.size,
            siteId: header.siteId,
            path: header.path,
            tags: [...new Set(header.variants.flatMap((variant) => [...variant.tags]))],
          },
        });
      } catch {
        await unlink(file).catch(() => {});
      }
    }
    found.sort((a, b) => a.mtime - b.mtime);
    for (const { key, entry } of found) {
      this.index.set(key, entry);
      this.bytesHeld += entry.size;
      this.keyWatcher?.(key);
    }
    await this.evictToFit();
  }

  async get(key: string): Promise<CachedObject | undefined> {
    const entry = this.index.get(key);
    if (entry === undefined) return undefined;
    try {
      return decodeObject(await readFile(entry.file));
    } catch {
      this.remove(key);
      return undefined;
    }
  }

  async set(object: CachedObject): Promise<void> {
    const data = encodeObject(object, false);
    if (data.length > this.maxBytes) return;
    const file = join(
      this.directory,
      `${createHash('sha256').update(object.key).digest('hex')}${suffix}`,
    );
    const temporary = `${file}.${process.pid}.tmp`;
    const purgesBefore = this.purgesDropped + this.purgesDuringWrites.length;
    this.writing++;
    try {
      await writeFile(temporary, data);
      await rename(temporary, file);
    } finally {
      this.writing--;
    }
    // A purge that ran while the file was written did not see it in the index: apply it now.
    const missed = this.purgesDuringWrites.slice(purgesBefore - this.purgesDropped);
    if (this.writing === 0) {
      this.purgesDropped += this.purgesDuringWrites.length;
      this.purgesDuringWrites = [];
    }
    if (missed.some((purge) => purgeMatches(purge, object))) {
      const removal: Promise<void> = unlink(file)
        .catch(() => {})
        .finally(() => this.unlinking.delete(removal));
      this.unlinking.add(removal);
      const previous = this.index.peek(object.key);
      if (previous !== undefined) this.remove(object.key);
      return;
    }
    const previous = this.index.peek(object.key);
    if (previous !== undefined) {
      this.bytesHeld -= previous.size;
      this.index.delete(object.key);
    }
    this.index.set(object.key, {
      file,
      size: data.length,
      siteId: object.siteId,
      path: object.path,
      tags: [...new Set(object.variants.flatMap((variant) => [...variant.tags]))],
    });
    this.bytesHeld += data.length;
    this.keyWatcher?.(object.key);
    await this.evictToFit();
  }

  /** Purges remove from disk in both modes: a soft-purged object lives on stale in memory. */
  purge(purge: PurgeRequest): number {
    if (this.writing > 0) this.purgesDuringWrites.push(purge);
    let touched = 0;
    for (const [key, entry] of [...this.index.entries()]) {
      const matches = purgeMatches(purge, {
        key,
        siteId: entry.siteId,
        path: entry.path,
        vary: [],
        variants: [{ tags: entry.tags } as unknown as StoredVariant],
      });
      if (!matches) continue;
      touched++;
      this.remove(key);
    }
    return touched;
  }

  private remove(key: string): void {
    const entry = this.index.peek(key);
    if (entry === undefined) return;
    this.index.delete(key);
    this.bytesHeld -= entry.size;
    this.keyWatcher?.(key);
    const removal: Promise<void> = unlink(entry.file)
      .catch(() => {})
      .finally(() => this.unlinking.delete(removal));
    this.unlinking.add(removal);
  }

  /** Resolves once the files of every removal so far are gone (a purge is then durable). */
  async settled(): Promise<void> {
    await Promise.all([...this.unlinking]);
  }

  private async evictToFit(): Promise<void> {
    while (this.bytesHeld > this.maxBytes || this.index.size > this.maxObjects) {
      const oldest = this.index.rkeys().next();
      if (oldest.done) return;
      this.remove(oldest.value);
      this.evicted++;
    }
  }
}

async function readHeader(file: string): Promise<ObjectHeader> {
  const handle = await open(file, 'r');
  try {
    const lengthBytes = Buffer.alloc(4);
    await handle.read(lengthBytes, 0, 4, 0);
    const length = lengthBytes.readUInt32BE(0);
    const json = Buffer.alloc(length);
    await handle.read(json, 0, length, 4);
    return JSON.parse(json.toString('utf8')) as ObjectHeader;
  } finally {
    await handle.close();
  }
}
