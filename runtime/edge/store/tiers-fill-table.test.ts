// What the fill table adds to the shared store: locks worker threads take themselves, which the
// primary learns of only from their store or release, and the presence count that keeps workers
// from fetching what the shared store holds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStore } from './disk-store.ts';
import type { CachedObject } from './entry.ts';
import { FillTable } from './fill-table.ts';
import { objectFor } from './testing.ts';
import { type AcquireResult, type HolderFetch, SharedStore } from './tiers.ts';

const setup = (
  options: {
    maxObjects?: number;
    lockTimeoutMs?: number;
    disk?: DiskStore;
    fromHolder?: HolderFetch;
  } = {},
) => {
  const fills = FillTable.create(1000);
  const store = new SharedStore({
    maxBytes: 1024 * 1024,
    maxObjects: options.maxObjects ?? 100,
    lockTimeoutMs: options.lockTimeoutMs ?? 60_000,
    disk: options.disk,
    fills,
    fromHolder: options.fromHolder,
  });
  return { fills, store };
};

/** A worker thread that holds objects, as the primary reaches it (thread-primary.ts fromHolder). */
function holdingWorker() {
  const asked: [string, number][] = [];
  let answer: (object: CachedObject | undefined) => void = () => {};
  const fromHolder: HolderFetch = (key, asker) => {
    asked.push([key, asker]);
    return new Promise((resolve) => {
      answer = resolve;
    });
  };
  return { asked, fromHolder, answer: (object: CachedObject | undefined) => answer(object) };
}

/** A lock the primary grants: it holds the key's slot with a token, handed to the lead. */
const granted = { lead: true, token: expect.any(Number) };

/** Two keys whose fills share one lock slot. */
function collidingKeys(fills: FillTable): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const key = `GET http://a/c/${i}`;
    const { slot } = fills.slotOf(key);
    const other = seen.get(slot);
    if (other !== undefined) return [other, key];
    seen.set(slot, key);
  }
}

describe('SharedStore with a fill table', () => {
  it('makes the primary wait for a lock a worker took itself, and hands over its store', async () => {
    const { fills, store } = setup();
    const token = fills.tryLead('GET http://a/x', 1);
    expect(token).not.toBe(0);
    const waiter = store.acquire('GET http://a/x', 2);
    expect(waiter).toBeInstanceOf(Promise);
    store.store(objectFor('GET http://a/x'), token);
    const answer = (await waiter) as AcquireResult;
    expect(answer).toMatchObject({ lead: false, waited: true });
    expect(answer.object?.key).toBe('GET http://a/x');
    // Stored: workers now ask the primary (presence), which answers from memory.
    expect(fills.slotOf('GET http://a/x').held).toBe(false);
    expect(fills.tryLead('GET http://a/x', 1)).toBe(0);
    expect((store.acquire('GET http://a/x', 1) as AcquireResult).object?.key).toBe(
      'GET http://a/x',
    );
  });

  it('answers a wait that began after the fill had its whole response as a hit, not collapsed', async () => {
    const { fills, store } = setup();
    const token = fills.tryLead('GET http://a/w', 1);
    const before = store.acquire('GET http://a/w', 2);
    // The worker's client has the whole response; its store is still on its way to the primary.
    fills.markComplete('GET http://a/w', token);
    const after = store.acquire('GET http://a/w', 3);
    expect(after).toBeInstanceOf(Promise);
    store.store(objectFor('GET http://a/w'), token);
    expect(await before).toMatchObject({ lead: false, waited: true });
    const late = (await after) as AcquireResult;
    expect(late).toMatchObject({ lead: false, waited: false });
    expect(late.object?.key).toBe('GET http://a/w');
    expect(fills.slotOf('GET http://a/w').held).toBe(false);
  });

  it('does the same for a lock it granted, marked with the token it handed out', async () => {
    const { fills, store } = setup();
    const { token } = store.acquire('GET http://a/g', 1) as AcquireResult;
    const before = store.acquire('GET http://a/g', 2);
    fills.markComplete('GET http://a/g', token ?? 0);
    const after = store.acquire('GET http://a/g', 3);
    store.store(objectFor('GET http://a/g'), token);
    expect(await before).toMatchObject({ lead: false, waited: true });
    expect(await after).toMatchObject({ lead: false, waited: false });
    expect(fills.slotOf('GET http://a/g').held).toBe(false);
  });

  it('asks the worker that holds a key, keeps its copy, and answers the misses meanwhile from it', async () => {
    const worker = holdingWorker();
    const { fills, store } = setup({ fromHolder: worker.fromHolder });
    fills.countPresence('GET http://a/held', 1, 3);
    const first = store.acquire('GET http://a/held', 2);
    const second = store.acquire('GET http://a/held', 4);
    expect(first).toBeInstanceOf(Promise);
    // One question to the holder: the second miss waits on the first one's lock.
    expect(worker.asked).toEqual([['GET http://a/held', 2]]);
    worker.answer(objectFor('GET http://a/held'));
    const answer = (await first) as AcquireResult;
    expect(answer).toMatchObject({ lead: false });
    expect(answer.waited).toBeUndefined();
    expect(((await second) as AcquireResult).object?.key).toBe('GET http://a/held');
    // Kept here for the next thread, and counted (worker 3 stays the holder on record); the lock
    // and its slot are gone.
    expect(store.memory.peek('GET http://a/held')).toBeDefined();
    expect(fills.holderOf('GET http://a/held')).toBe(3);
    expect(fills.slotOf('GET http://a/held').held).toBe(false);
    expect((store.acquire('GET http://a/held', 5) as AcquireResult).object).toBeDefined();
    expect(worker.asked).toHaveLength(1);
  });

  it('hands out the lock when the holder no longer has the key, or only a copy too old for it', async () => {
    const worker = holdingWorker();
    const { fills, store } = setup({ fromHolder: worker.fromHolder });
    const gone = store.acquire('GET http://a/gone', 2);
    worker.answer(undefined);
    expect(await gone).toEqual(granted);
    store.release('GET http://a/gone');
    // A revalidation of a copy from time 1,000 is not answered by a copy from time 1,000.
    const stale = store.acquire('GET http://a/gone', 2, 1_000);
    worker.answer(objectFor('GET http://a/gone'));
    expect(await stale).toEqual(granted);
    expect(store.memory.peek('GET http://a/gone')).toBeUndefined();
    expect(fills.slotOf('GET http://a/gone').held).toBe(true);
  });

  it('does not take a holder’s copy requested before a purge it applied', async () => {
    const worker = holdingWorker();
    const { store } = setup({ fromHolder: worker.fromHolder });
    store.purge({ kind: 'all', values: [], mode: 'hard', site: 'site' }, Date.now());
    const miss = store.acquire('GET http://a/old', 2);
    // The holder's copy was requested a second before the purge (its purge message is on its way).
    const requestedBefore = objectFor('GET http://a/old');
    for (const variant of requestedBefore.variants) variant.requestTime = Date.now() - 1000;
    worker.answer(requestedBefore);
    expect(await miss).toEqual(granted);
    expect(store.memory.peek('GET http://a/old')).toBeUndefined();
  });

  it('sends a revalidation that waited on a copy from the holder back for the lock, not to the origin alone', async () => {
    // Thread 1 misses on a key worker 3 holds (stale for everyone); worker 3 revalidates its copy
    // meanwhile and waits on the lock thread 1's question holds.
    let answer: (object: CachedObject | undefined) => void = () => {};
    const { fills, store } = setup({
      fromHolder: (key, asker) => {
        const holder = fills.holderOf(key);
        if (holder === undefined || holder === 0 || holder === asker) return undefined;
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
    });
    fills.countPresence('GET http://a/r', 1, 3);
    const miss = store.acquire('GET http://a/r', 1);
    const revalidation = store.acquire('GET http://a/r', 3, 1_000);
    answer(objectFor('GET http://a/r'));
    // The miss gets the holder's copy (it will revalidate it itself); the revalidation gets the
    // lock, not that same copy, which would have sent it to the origin without a lock.
    expect(((await miss) as AcquireResult).object?.key).toBe('GET http://a/r');
    const lock = (await revalidation) as AcquireResult;
    expect(lock).toEqual(granted);
    // The miss's own revalidation now waits for that one.
    const second = store.acquire('GET http://a/r', 1, 1_000);
    expect(second).toBeInstanceOf(Promise);
    const refreshed = objectFor('GET http://a/r');
    for (const variant of refreshed.variants) variant.responseTime = 2_000;
    store.store(refreshed, lock.token);
    expect(((await second) as AcquireResult).object?.variants[0]?.responseTime).toBe(2_000);
  });

  it('looks a key up in the worker that holds it', async () => {
    const { store } = setup({
      fromHolder: (key, asker) => (asker === 3 ? undefined : Promise.resolve(objectFor(key))),
    });
    expect(await store.lookup('GET http://a/l', 3)).toBeUndefined();
    expect((await store.lookup('GET http://a/l', 2))?.key).toBe('GET http://a/l');
    expect(store.memory.peek('GET http://a/l')).toBeDefined();
  });

  it('flags the slot of a worker’s own fill it waits on, so that fill ends through it', async () => {
    const { fills, store } = setup();
    const token = fills.tryLead('GET http://a/end', 2);
    const waiter = store.acquire('GET http://a/end', 3);
    expect(waiter).toBeInstanceOf(Promise);
    // The worker cannot end it alone: it sends its store, which wakes the waiter.
    expect(fills.end('GET http://a/end', token)).toBe(false);
    store.store(objectFor('GET http://a/end'), token);
    expect(((await waiter) as AcquireResult).object?.key).toBe('GET http://a/end');
    expect(fills.slotOf('GET http://a/end').held).toBe(false);
  });

  it('sends the waiters to the origin themselves when a worker’s own fill is released', async () => {
    const { fills, store } = setup();
    const token = fills.tryLead('GET http://a/u', 1);
    const waiter = store.acquire('GET http://a/u', 2);
    store.release('GET http://a/u', false, token);
    expect(await waiter).toEqual({ lead: false, waited: true });
    // Not stored, not present: the next miss takes the lock itself again.
    expect(fills.tryLead('GET http://a/u', 1)).not.toBe(0);
  });

  it('puts the locks it grants in the table, so a worker cannot lead beside them', () => {
    const { fills, store } = setup();
    const lock = store.acquire('GET http://a/p', 1) as AcquireResult;
    expect(lock).toEqual(granted);
    expect((lock.token ?? 0) & 0xff).toBe(1);
    expect(fills.tryLead('GET http://a/p', 2)).toBe(0);
    store.release('GET http://a/p');
    expect(fills.tryLead('GET http://a/p', 2)).not.toBe(0);
  });

  it('lets a key that shares a slot with a fill try again once that fill ends', async () => {
    const { fills, store } = setup();
    const [first, second] = collidingKeys(fills);
    const token = fills.tryLead(first, 1);
    const waiter = store.acquire(second, 2);
    expect(waiter).toBeInstanceOf(Promise);
    store.store(objectFor(first), token);
    // Not the other key's object: the lock of its own key, now that the slot is free.
    expect(await waiter).toEqual(granted);
    expect(fills.tryLead(second, 1)).toBe(0);
  });

  it('frees the slots of a worker that died; their waiters try again', async () => {
    const { fills, store } = setup();
    fills.tryLead('GET http://a/dead', 4);
    const waiter = store.acquire('GET http://a/dead', 5);
    store.releaseOwner(4);
    expect(await waiter).toEqual(granted);
  });

  it('sends slot waiters to the origin themselves after the lock timeout', async () => {
    const { fills, store } = setup({ lockTimeoutMs: 50 });
    fills.tryLead('GET http://a/slow', 1);
    expect(await store.acquire('GET http://a/slow', 2)).toEqual({ lead: false, waited: true });
  });

  it('frees a slot handed back after a store raced its take, leaving revalidation claims alone', async () => {
    const { fills, store } = setup();
    const [stored, other] = collidingKeys(fills);
    store.store(objectFor(stored));
    // Another thread revalidates the stored copy in the background.
    expect(store.claimRevalidation(stored, Number.MAX_SAFE_INTEGER)).toBe(true);
    // A worker took the slot just as the key was stored (tryLead's hand-back case)...
    const token = fills.token(2);
    expect(fills.take(stored, token)).toBe(true);
    // ...while a miss of another key of that slot waits for it.
    const waiter = store.acquire(other, 3);
    expect(waiter).toBeInstanceOf(Promise);
    store.freeSlot(stored, token);
    expect(await waiter).toEqual(granted);
    // The background revalidation still holds its claim: no second one starts.
    expect(store.claimRevalidation(stored, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('frees a slot only with the token that holds it', async () => {
    const { fills, store } = setup();
    const token = fills.tryLead('GET http://a/t', 1);
    store.release('GET http://a/t', false, token + 256);
    expect(fills.slotOf('GET http://a/t').held).toBe(true);
    store.release('GET http://a/t', false, token);
    expect(fills.slotOf('GET http://a/t').held).toBe(false);
  });

  it('counts a key as present while memory or disk holds it: eviction and hard purge end it', async () => {
    const { fills, store } = setup({ maxObjects: 2 });
    for (const path of ['/1', '/2', '/3']) {
      const key = `GET http://a${path}`;
      store.store(objectFor(key, 'body', path), fills.tryLead(key, 1));
    }
    // /1 was evicted by /3 (two objects at most): a worker may fetch it again.
    expect(fills.tryLead('GET http://a/2', 1)).toBe(0);
    expect(fills.tryLead('GET http://a/1', 1)).not.toBe(0);
    store.purge({ kind: 'url', values: ['/2'], mode: 'hard', site: 'site' }, Date.now());
    expect(store.memory.peek('GET http://a/2')).toBeUndefined();
    expect(fills.tryLead('GET http://a/2', 1)).not.toBe(0);
    // A soft purge keeps the object (stale): still present.
    store.purge({ kind: 'all', values: [], mode: 'soft', site: 'site' }, Date.now());
    expect(fills.tryLead('GET http://a/3', 1)).toBe(0);
  });

  it('counts what the disk tier holds from the start, and what it holds after memory evicts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgeplane-fills-'));
    try {
      const before = new DiskStore(dir, 1024 * 1024);
      await before.load();
      await before.set(objectFor('GET http://a/kept'));
      const disk = new DiskStore(dir, 1024 * 1024);
      await disk.load();
      const { fills, store } = setup({ maxObjects: 1, disk });
      expect(fills.tryLead('GET http://a/kept', 1)).toBe(0);
      store.store(objectFor('GET http://a/one'), fills.tryLead('GET http://a/one', 1));
      store.store(objectFor('GET http://a/two'), fills.tryLead('GET http://a/two', 1));
      // The disk write is in the background: wait for it (bounded), not for a fixed time, which a
      // busy machine outlasted.
      for (let i = 0; i < 200 && !disk.has('GET http://a/one'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await disk.settled();
      // /one left memory but is on disk: still present.
      expect(store.memory.peek('GET http://a/one')).toBeUndefined();
      expect(disk.has('GET http://a/one')).toBe(true);
      expect(fills.tryLead('GET http://a/one', 1)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
