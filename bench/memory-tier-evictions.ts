// What an eviction costs in a full memory tier: the edge's MemoryStore (lru-cache) against the
// JavaScript Map LRU it replaced (touch = delete + set, evict the first key), side by side in one
// run. Each round inserts new keys into a tier full at ENTRIES objects, so every insert evicts,
// as every miss of an edge running for a while does.
//   node bench/memory-tier-evictions.ts [ENTRIES=200000] [ROUNDS=5] [INSERTS=50000]
import { MemoryStore } from '../runtime/edge/store/memory-store.ts';

const [entries = 200_000, rounds = 5, inserts = 50_000] = process.argv
  .slice(2)
  .map((value) => Number(value));

/** The Map pattern the memory tier used before (2026-11-26). */
class MapLru {
  private readonly entries = new Map<string, object>();
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  set(key: string, value: object): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}

const value = { body: Buffer.alloc(16) };
const store = new MemoryStore<object>({ maxBytes: entries, maxObjects: entries, sizeOf: () => 1 });
const map = new MapLru(entries);
for (let i = 0; i < entries; i++) {
  store.set(`k${i}`, value);
  map.set(`k${i}`, value);
}

let next = entries;
function microsPerInsert(set: (key: string) => void): number {
  const started = performance.now();
  for (let i = 0; i < inserts; i++) set(`k${next++}`);
  return ((performance.now() - started) * 1000) / inserts;
}

console.log(`full tier of ${entries} entries, ${inserts} inserts per round (each one evicts)`);
console.log('round  MemoryStore µs/insert  Map LRU µs/insert  Map/MemoryStore');
for (let round = 1; round <= rounds; round++) {
  const ours = microsPerInsert((key) => store.set(key, value));
  const before = microsPerInsert((key) => map.set(key, value));
  console.log(
    `${String(round).padStart(5)}  ${ours.toFixed(2).padStart(21)}  ${before.toFixed(2).padStart(17)}  ${(before / ours).toFixed(1).padStart(14)}x`,
  );
}
