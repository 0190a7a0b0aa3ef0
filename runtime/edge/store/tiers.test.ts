import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStore } from './disk-store.ts';
import { FillTable } from './fill-table.ts';
import { objectFor } from './testing.ts';
import { type AcquireResult, SharedStore } from './tiers.ts';

// The same behaviour with the locks only in the primary and with every lock also in the fill table
// the worker threads share (fill-table.ts); tiers-fill-table.test.ts has what only the table adds.
describe.each([
  ['without a fill table', () => undefined, { lead: true }],
  // A lock the primary grants holds its slot with a token, handed to the lead.
  ['with a fill table', () => FillTable.create(100), { lead: true, token: expect.any(Number) }],
])('SharedStore fill locks, %s', (_name, fills, granted) => {
  const sharedStore = (disk?: DiskStore) =>
    new SharedStore({
      maxBytes: 1024 * 1024,
      maxObjects: 100,
      disk,
      lockTimeoutMs: 60_000,
      fills: fills(),
    });

  it('without a disk tier, grants the lock at once and queues later callers until the store', async () => {
    const store = sharedStore();
    const first = store.acquire('GET http://a/x', 1);
    expect(first).toEqual(granted);
    const second = store.acquire('GET http://a/x', 2);
    const third = store.acquire('GET http://a/x', 2);
    expect(second).toBeInstanceOf(Promise);
    store.store(objectFor('GET http://a/x'));
    const answers = (await Promise.all([second, third])) as AcquireResult[];
    for (const answer of answers) {
      expect(answer.lead).toBe(false);
      expect(answer.waited).toBe(true);
      expect(answer.object?.variants[0]?.body.toString()).toBe('stored body');
    }
    // Stored: the next caller gets the object at once, with no lock.
    const later = store.acquire('GET http://a/x', 1) as AcquireResult;
    expect(later.lead).toBe(false);
    expect(later.object?.key).toBe('GET http://a/x');
  });

  it('sends the waiters to the origin themselves when the leader releases without storing', async () => {
    const store = sharedStore();
    expect(store.acquire('GET http://a/y', 1)).toEqual(granted);
    const waiter = store.acquire('GET http://a/y', 2);
    store.release('GET http://a/y');
    expect(await waiter).toEqual({ lead: false, waited: true });
    // The lock is free again: a new caller leads.
    expect(store.acquire('GET http://a/y', 2)).toEqual(granted);
  });

  it('ends the locks of a process that died', async () => {
    const store = sharedStore();
    expect(store.acquire('GET http://a/z', 7)).toEqual(granted);
    const waiter = store.acquire('GET http://a/z', 8);
    store.releaseOwner(7);
    expect(await waiter).toEqual({ lead: false, waited: true });
  });

  it('with a disk tier, reads the disk before granting, and one of two racing callers leads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgeplane-tiers-'));
    try {
      const disk = new DiskStore(dir, 1024 * 1024);
      await disk.load();
      await disk.set(objectFor('GET http://a/on-disk', 'from disk'));
      const store = sharedStore(disk);
      const fromDisk = (await store.acquire('GET http://a/on-disk', 1)) as AcquireResult;
      expect(fromDisk.lead).toBe(false);
      expect(fromDisk.object?.variants[0]?.body.toString()).toBe('from disk');

      const racing = [store.acquire('GET http://a/cold', 1), store.acquire('GET http://a/cold', 2)];
      expect(await Promise.race(racing)).toEqual(granted);
      // The other one waits on the leader's lock; a release lets it go to the origin itself.
      store.release('GET http://a/cold');
      const answers = await Promise.all(racing);
      expect(answers.filter((answer) => answer.lead)).toHaveLength(1);
      expect(answers.filter((answer) => answer.waited)).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
