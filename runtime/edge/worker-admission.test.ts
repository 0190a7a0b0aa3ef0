// A worker thread's memory tier takes what it is asked for again, not every fill: the primary's
// shared store holds each fill (fill.ts keep). Here a traffic process on listen(0) has a tier
// that holds its fills, as a worker thread's ThreadTier does (the primary's store, in-process),
// in front of a real origin. test/edge/cluster.test.ts checks the same through real threads.
import type { ServerResponse } from 'node:http';
import { get, type Origin, sleep, startOrigin } from '../../test/edge/harness.ts';
import { startTestTrafficEdge, type TestTrafficEdge } from './fast-hit/testing.ts';
import type { PurgeRequest } from './purge.ts';
import { createObjectStore, purgeStore } from './store/edge-cache.ts';
import type { CachedObject } from './store/entry.ts';
import type { AcquireResult, SharedTier } from './store/tiers.ts';

/** The primary's side as a worker sees it: a store that holds every fill. */
class HoldingTier implements SharedTier {
  readonly shared = true;
  readonly holdsFills = true;
  readonly store_ = createObjectStore(64 * 1024 * 1024, 10_000);
  stores = 0;
  private readonly purgeLocal: (purge: PurgeRequest) => number;
  constructor(purgeLocal: (purge: PurgeRequest) => number) {
    this.purgeLocal = purgeLocal;
  }
  async lookup(key: string): Promise<CachedObject | undefined> {
    return this.store_.get(key);
  }
  async acquire(key: string, staleResponseTime?: number): Promise<AcquireResult> {
    const object = this.store_.get(key);
    const newer =
      object !== undefined &&
      (staleResponseTime === undefined ||
        object.variants.some((variant) => variant.responseTime > staleResponseTime));
    return newer ? { lead: false, object } : { lead: true };
  }
  async claimRevalidation(): Promise<boolean> {
    return true;
  }
  store(object: CachedObject): void {
    this.stores++;
    this.store_.set(object.key, object);
  }
  release(): void {}
  async purgeEverywhere(purge: PurgeRequest): Promise<number> {
    return Math.max(this.purgeLocal(purge), purgeStore(this.store_, purge, Date.now()));
  }
  stats() {
    return {};
  }
}

describe('a worker thread keeps what it is asked for again', () => {
  let origin: Origin;
  let edge: TestTrafficEdge;
  let tier: HoldingTier;
  const held: ServerResponse[] = [];
  let hold = false;
  let version = 0;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      if (hold) {
        held.push(res);
        return;
      }
      version++;
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=1' });
      res.end(`${req.url} v${version}`);
    });
    edge = await startTestTrafficEdge(
      [{ id: 'w', hosts: ['w.test'], origin: origin.url }],
      {},
      (purgeLocal) => {
        tier = new HoldingTier(purgeLocal);
        return tier;
      },
    );
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });
  const ask = (path: string) => get(`http://127.0.0.1:${edge.port}`, path, { host: 'w.test' });
  const memory = () => edge.traffic.ctx.memory;
  const fetched = (path: string) => origin.requests.filter((r) => r.url === path).length;

  it('stores a miss behind its tier only, and takes it when asked for it again', async () => {
    const first = await ask('/once');
    expect(first.status).toBe(200);
    expect(String(first.headers['cache-status'])).toMatch(/fwd=uri-miss/);
    expect(tier.stores).toBe(1);
    const [key] = [...tier.store_.keys()];
    expect(key).toBeDefined();
    expect(memory().peek(key as string)).toBeUndefined();

    const again = await ask('/once');
    expect(again.body).toBe(first.body);
    expect(String(again.headers['cache-status'])).toMatch(/; hit/);
    expect(fetched('/once')).toBe(1);
    expect(memory().peek(key as string)).toBe(tier.store_.peek(key as string));
  });

  it("collapses the thread's concurrent misses into one fetch and answers them all", async () => {
    hold = true;
    const replies = Array.from({ length: 50 }, () => ask('/together'));
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(10);
    await sleep(200);
    hold = false;
    for (const res of held.splice(0)) {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' });
      res.end('one answer');
    }
    const all = await Promise.all(replies);
    expect(fetched('/together')).toBe(1);
    expect(all.every((reply) => reply.status === 200 && reply.body === 'one answer')).toBe(true);
    expect(
      all.filter((reply) => /collapsed/.test(String(reply.headers['cache-status']))),
    ).not.toHaveLength(0);
    // The waiters asked for it again: the thread now holds it.
    const key = [...tier.store_.keys()].find((one) => one.endsWith('/together'));
    expect(memory().peek(key as string)).toBeDefined();
  });

  it('replaces its own copy when it refills an object it holds', async () => {
    await ask('/refresh');
    await ask('/refresh');
    const key = [...tier.store_.keys()].find((one) => one.endsWith('/refresh')) as string;
    const before = memory().peek(key);
    expect(before).toBeDefined();
    await sleep(1100); // max-age=1 has passed
    const refreshed = await ask('/refresh');
    expect(fetched('/refresh')).toBe(2);
    const after = memory().peek(key);
    expect(after).not.toBe(before);
    expect(after).toBe(tier.store_.peek(key));
    expect(after?.variants[0]?.body.toString()).toBe(refreshed.body);
  });
});
