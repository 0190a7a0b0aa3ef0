// The shared store's fill locks: a miss takes the lock; a revalidation of a stale copy takes the
// same lock unless a fresher copy than the stale one is already stored (so concurrent
// revalidations in different workers make one origin request).
import type { CachedObject } from './entry.ts';
import { SharedStore } from './tiers.ts';

const object = (responseTime: number): CachedObject => ({
  key: 'GET http://a.test/x',
  siteId: 'a',
  path: '/x',
  vary: [],
  variants: [
    {
      varyKey: '',
      status: 200,
      headers: { 'cache-control': 'max-age=1' },
      body: Buffer.from('x'),
      requestTime: responseTime,
      responseTime,
      tags: [],
    },
  ],
});

describe('SharedStore.acquire', () => {
  let store: SharedStore;
  beforeEach(() => {
    store = new SharedStore({ maxBytes: 1_000_000, maxObjects: 100, lockTimeoutMs: 5_000 });
  });

  it('hands a stored object out without a lock on a miss', async () => {
    store.store(object(1_000));
    expect(await store.acquire('GET http://a.test/x')).toMatchObject({ lead: false });
  });

  it('locks a revalidation whose stale copy is the newest stored', async () => {
    store.store(object(1_000));
    expect(await store.acquire('GET http://a.test/x', 1, 1_000)).toEqual({ lead: true });
    // A second revalidation of the same copy waits for the first one's result.
    const second = store.acquire('GET http://a.test/x', 2, 1_000);
    store.store(object(2_000));
    const waited = await second;
    expect(waited.lead).toBe(false);
    expect(waited.waited).toBe(true);
    expect(waited.object?.variants[0]?.responseTime).toBe(2_000);
  });

  it('hands out a copy fresher than the stale one instead of locking', async () => {
    store.store(object(2_000));
    const result = await store.acquire('GET http://a.test/x', 1, 1_000);
    expect(result.lead).toBe(false);
    expect(result.object?.variants[0]?.responseTime).toBe(2_000);
  });

  it('lets the waiters go to the origin themselves when the revalidation stores nothing', async () => {
    store.store(object(1_000));
    await store.acquire('GET http://a.test/x', 1, 1_000);
    const second = store.acquire('GET http://a.test/x', 2, 1_000);
    store.release('GET http://a.test/x');
    expect(await second).toEqual({ lead: false, waited: true });
  });
});
