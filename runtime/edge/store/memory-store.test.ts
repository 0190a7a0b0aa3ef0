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
