import fc from 'fast-check';
import { MemoryStore } from './memory-store.ts';

const store = (maxBytes: number, maxObjects = 1000) =>
  new MemoryStore<Buffer>({ maxBytes, maxObjects, sizeOf: (value) => value.length });

describe('MemoryStore', () => {
  it('evicts the least recently used entries to stay within its byte bound', () => {
    const s = store(300);
    s.set('a', Buffer.alloc(100));
    s.set('b', Buffer.alloc(100));
    s.set('c', Buffer.alloc(100));
    s.get('a'); // a is now the most recent; b is the oldest
    s.set('d', Buffer.alloc(100));
    expect([...s.keys()]).toEqual(['c', 'a', 'd']);
    expect(s.bytes).toBe(300);
    expect(s.evictions).toBe(1);
  });

  it('caps the object count and refuses an entry larger than the whole bound', () => {
    const s = store(10_000, 2);
    s.set('a', Buffer.alloc(1));
    s.set('b', Buffer.alloc(1));
    s.set('c', Buffer.alloc(1));
    expect(s.objects).toBe(2);
    expect(s.peek('a')).toBeUndefined();
    expect(s.set('huge', Buffer.alloc(20_000))).toBe(false);
    expect(s.peek('huge')).toBeUndefined();
  });

  it('tells onEvict of evictions only, once the entry is gone', () => {
    const evicted: string[] = [];
    const s = new MemoryStore<Buffer>({
      maxBytes: 250,
      maxObjects: 3,
      sizeOf: (value) => value.length,
      onEvict: (key) => {
        // The store's owner re-reads presence here (tiers.ts notePresence).
        expect(s.peek(key)).toBeUndefined();
        evicted.push(key);
      },
    });
    s.set('a', Buffer.alloc(100));
    s.set('b', Buffer.alloc(100));
    s.delete('b');
    s.set('c', Buffer.alloc(100));
    s.set('d', Buffer.alloc(100)); // over 250 bytes: a goes
    s.set('e', Buffer.alloc(10));
    s.set('f', Buffer.alloc(10)); // four objects: c goes
    expect(evicted).toEqual(['a', 'c']);
    expect([...s.keys()]).toEqual(['d', 'e', 'f']);
    expect(s.bytes).toBe(120);
    expect(s.evictions).toBe(2);
  });

  it('re-measures a value changed in place without changing its recency', () => {
    const grown = Buffer.alloc(100);
    const sizes = new Map<Buffer, number>([[grown, 800]]);
    const measured = new MemoryStore<Buffer>({
      maxBytes: 1000,
      maxObjects: 10,
      sizeOf: (value) => sizes.get(value) ?? value.length,
    });
    measured.set('a', Buffer.alloc(100));
    measured.set('b', grown);
    measured.set('c', Buffer.alloc(100));
    sizes.set(grown, 900);
    measured.resize('b'); // 100 + 900 + 100 > 1000: the least recently used (a) goes, not b
    expect([...measured.keys()]).toEqual(['b', 'c']);
    expect(measured.bytes).toBe(1000);
  });

  it('tells onHeld of every key it takes in and lets go, whatever the operations', () => {
    // The fill table's presence counts come from this (thread-worker.ts): the running sum per key
    // must be 1 exactly while the key is held, 0 otherwise.
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.integer({ min: 0, max: 12 }),
        size: fc.integer({ min: 0, max: 1200 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('resize' as const), key: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const counts = new Map<string, number>();
        const s = new MemoryStore<Buffer>({
          maxBytes: 1000,
          maxObjects: 5,
          sizeOf: (value) => value.length,
          onHeld: (key, delta) => counts.set(key, (counts.get(key) ?? 0) + delta),
        });
        for (const o of ops) {
          if (o.kind === 'set') s.set(String(o.key), Buffer.alloc(o.size));
          else if (o.kind === 'delete') s.delete(String(o.key));
          else if (o.kind === 'resize') s.resize(String(o.key));
          else s.clear();
          for (let key = 0; key <= 12; key++) {
            const held = s.peek(String(key)) !== undefined ? 1 : 0;
            if ((counts.get(String(key)) ?? 0) !== held) return false;
          }
        }
        return true;
      }),
    );
  });

  it('never holds more than its bounds and keeps its byte count exact, whatever the operations', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.integer({ min: 0, max: 20 }),
        size: fc.integer({ min: 0, max: 400 }),
      }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const s = store(1000, 8);
        for (const o of ops) {
          if (o.kind === 'set') s.set(String(o.key), Buffer.alloc(o.size));
          else if (o.kind === 'get') s.get(String(o.key));
          else s.delete(String(o.key));
          let total = 0;
          for (const value of s.values()) total += value.length;
          if (total !== s.bytes || s.bytes > 1000 || s.objects > 8) return false;
        }
        return true;
      }),
    );
  });
});
