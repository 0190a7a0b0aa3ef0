// The multi-threaded edge as it runs in production: `node runtime/main.ts` with two traffic
// worker threads, with a disk tier (every fill goes to the primary's shared store) and without
// (each thread keeps its own fills, and the primary asks it for them). One worker's fill is a hit
// in the other, concurrent misses across workers reach the origin once, and every kind of purge
// reaches every worker.
import type { ServerResponse } from 'node:http';
import {
  cacheMetric,
  type EdgeMain,
  get,
  getOnNewConnection,
  type Origin,
  purgeToken,
  sleep,
  startEdgeMain,
  startOrigin,
} from './harness.ts';

const host = { host: 'cl.test' };

describe.each([
  { tiers: 'with a disk tier', diskMb: 16 },
  { tiers: 'without a disk tier', diskMb: undefined },
])('edge with two workers, $tiers', ({ diskMb }) => {
  let origin: Origin;
  let edge: EdgeMain;
  let trafficUrl: string;
  let managementUrl: string;
  const versions = new Map<string, number>();
  let hold = false;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      const path = req.url ?? '/';
      if (hold) {
        held.push(res);
        return;
      }
      const version = (versions.get(path) ?? 0) + 1;
      versions.set(path, version);
      res.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': 'max-age=300, stale-while-revalidate=300',
        'surrogate-key': path.startsWith('/k/') ? 'group' : 'other',
      });
      res.end(`${path} v${version}`);
    });
    edge = await startEdgeMain({
      sites: [{ id: 'cl', hosts: ['cl.test'], origin: origin.url }],
      workers: 2,
      ...(diskMb === undefined ? {} : { diskMb }),
    });
    trafficUrl = edge.trafficUrl;
    managementUrl = edge.managementUrl;
  });

  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  /** Requests on fresh connections until both workers have answered (by their log lines' worker). */
  async function fromBothWorkers(path: string, count = 40) {
    const replies = [];
    for (let i = 0; i < count; i++) replies.push(await getOnNewConnection(trafficUrl, path, host));
    return replies;
  }
  const answeringWorkers = async (path: string, cache: string) => {
    await sleep(1200); // the request log is flushed at least every second
    const workers = new Set<number>();
    for (const line of edge.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line);
      if (entry.path === path && entry.cache === cache) workers.add(entry.worker);
    }
    return workers;
  };
  const purge = (body: unknown) =>
    get(
      managementUrl,
      '/purge',
      { authorization: `Bearer ${purgeToken}` },
      'POST',
      JSON.stringify(body),
    );

  it('shares the hit ratio: what one worker fetched is a hit in the other', async () => {
    const replies = await fromBothWorkers('/shared');
    expect(replies.every((reply) => reply.body === '/shared v1')).toBe(true);
    expect(versions.get('/shared')).toBe(1);
    expect((await answeringWorkers('/shared', 'hit')).size).toBe(2);
  });

  it('answers a request that comes after a fill has ended as a hit, whichever thread takes it', async () => {
    // A worker's store reaches the primary by message, after its client has the response. A
    // request another thread took in between once waited on the fill's lock and said
    // "fwd=miss; collapsed" (51 of 600 such pairs here); the fill now marks its lock complete first.
    const pairs = 200;
    for (let i = 0; i < pairs; i++) {
      const path = `/after/${i}`;
      const first = await getOnNewConnection(trafficUrl, path, host);
      expect(first.headers['cache-status']).toMatch(/fwd=uri-miss/);
      const second = await getOnNewConnection(trafficUrl, path, host);
      expect({ path, body: second.body, status: second.headers['cache-status'] }).toEqual({
        path,
        body: `${path} v1`,
        status: expect.stringMatching(/^edgeplane; hit; ttl=\d+$/),
      });
    }
    // Some second requests went to the other thread than their first (by the request log).
    await sleep(1200); // the request log is flushed at least every second
    const workerOf = new Map<string, number>();
    let crossed = 0;
    for (const line of edge.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line);
      if (!String(entry.path).startsWith('/after/')) continue;
      const first = workerOf.get(entry.path);
      if (first === undefined) workerOf.set(entry.path, entry.worker);
      else if (first !== entry.worker) crossed++;
    }
    expect(workerOf.size).toBe(pairs);
    expect(crossed).toBeGreaterThan(0);
  });

  it('collapses 1,000 concurrent misses across both workers into one origin request', async () => {
    hold = true;
    const replies = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? getOnNewConnection(trafficUrl, '/herd', host) : get(trafficUrl, '/herd', host),
    );
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(20);
    await sleep(700);
    hold = false;
    expect(held).toHaveLength(1);
    for (const res of held.splice(0)) {
      res.writeHead(200, { 'cache-control': 'max-age=300', 'content-type': 'text/plain' });
      res.end('herd once');
    }
    const all = await Promise.all(replies);
    expect(all.every((reply) => reply.body === 'herd once')).toBe(true);
    expect(origin.requests.filter((r) => r.url === '/herd')).toHaveLength(1);
  });

  const purges: [string, Record<string, unknown>, string][] = [
    ['url, hard', { kind: 'url', values: ['/u/1'], mode: 'hard' }, '/u/1'],
    ['key, hard', { kind: 'key', values: ['group'], mode: 'hard' }, '/k/1'],
    ['prefix, soft', { kind: 'prefix', values: ['/pre/'], mode: 'soft' }, '/pre/1'],
    ['all, soft', { kind: 'all', mode: 'soft' }, '/all/1'],
  ];

  it.each(purges)('purges by %s in every worker', async (_name, body, path) => {
    await fromBothWorkers(path);
    expect(versions.get(path)).toBe(1);
    const reply = await purge({ site: 'cl', ...body });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).purged).toBeGreaterThanOrEqual(1);
    const soft = body.mode === 'soft';
    // After a hard purge no worker may answer the old copy. After a soft one a worker may answer
    // it once as stale while it revalidates; never as a fresh hit.
    const after = await fromBothWorkers(path);
    for (const answer of after) {
      if (answer.body === `${path} v1`) {
        expect(soft).toBe(true);
        expect(String(answer.headers['cache-status'])).toMatch(/stale-while-revalidate/);
      }
    }
    expect(after.at(-1)?.body).toBe(`${path} v2`);
    // One refetch for the whole edge, not one per worker.
    expect(versions.get(path)).toBe(2);
  });

  it('aggregates metrics from every worker on the management port', async () => {
    const metrics = await get(managementUrl, '/metrics');
    expect(metrics.status).toBe(200);
    const hits = /edgeplane_edge_requests_total\{site="cl",status="2xx",cache="hit"\} (\d+)/.exec(
      metrics.body,
    );
    expect(Number(hits?.[1])).toBeGreaterThan(100);
    expect(metrics.body).toMatch(/edgeplane_edge_cache_objects\{tier="memory"\} \d+/);
    expect(metrics.body).toMatch(/edgeplane_edge_cache_objects\{tier="worker-memory"\} \d+/);
    expect(metrics.body).toMatch(/edgeplane_edge_purges_total\{kind="prefix",mode="soft"\} 1/);
    if (diskMb === undefined) return;
    // The primary's disk tier holds what the workers filled.
    const onDisk = /edgeplane_edge_cache_objects\{tier="disk"\} (\d+)/.exec(metrics.body);
    expect(Number(onDisk?.[1])).toBeGreaterThan(0);
  });

  const objects = async () => ({
    shared: await cacheMetric(managementUrl, 'objects', 'memory'),
    worker: await cacheMetric(managementUrl, 'objects', 'worker-memory'),
  });

  const keepsOwnFills = diskMb === undefined;
  if (keepsOwnFills)
    it("keeps a worker's misses in its own tier, and hands the other thread a copy", async () => {
      const before = await objects();
      const paths = Array.from({ length: 30 }, (_, i) => `/own/${i}`);
      for (const path of paths) await getOnNewConnection(trafficUrl, path, host);
      // Each miss is in the tier of the thread that fetched it, and only there.
      const afterMisses = await objects();
      expect(afterMisses.shared - before.shared + afterMisses.worker - before.worker).toBe(30);
      expect(afterMisses.worker).toBeGreaterThan(before.worker);
      expect(afterMisses.shared).toBeGreaterThan(before.shared);
      // A HEAD only looks (no fill lock): it finds the object in whichever thread holds it too.
      for (const path of paths.slice(0, 10)) {
        const head = await getOnNewConnection(trafficUrl, path, host, { method: 'HEAD' });
        expect({ path, status: head.status, cache: head.headers['cache-status'] }).toEqual({
          path,
          status: 200,
          cache: expect.stringMatching(/^edgeplane; hit; ttl=\d+$/),
        });
      }
      // Asked again on new connections: hits in either thread, and the thread that did not fetch
      // an object got it from the other (the primary keeps a copy of what a worker hands over).
      for (const path of paths) {
        for (let i = 0; i < 2; i++) {
          const reply = await getOnNewConnection(trafficUrl, path, host);
          expect(reply.headers['cache-status']).toMatch(/^edgeplane; hit; ttl=\d+$/);
          expect(reply.body).toBe(`${path} v1`);
        }
      }
      const after = await objects();
      expect(after.shared + after.worker).toBeGreaterThan(afterMisses.shared + afterMisses.worker);
      for (const path of paths) expect(versions.get(path)).toBe(1);
    });

  if (!keepsOwnFills)
    it("keeps a worker's misses in the primary's store, and in the worker's own once asked again", async () => {
      const before = await objects();
      const paths = Array.from({ length: 30 }, (_, i) => `/admit/${i}`);
      for (const path of paths) await getOnNewConnection(trafficUrl, path, host);
      // A worker's store reaches the primary just after its answer: wait for the last one.
      let afterMisses = await objects();
      for (let i = 0; i < 50 && afterMisses.shared - before.shared < paths.length; i++) {
        await sleep(20);
        afterMisses = await objects();
      }
      expect(afterMisses.shared - before.shared).toBe(paths.length);
      expect(afterMisses.worker).toBe(before.worker);
      // Asked again on new connections, the worker thread answers some from the shared store and
      // keeps those.
      for (const path of paths) {
        await getOnNewConnection(trafficUrl, path, host);
        await getOnNewConnection(trafficUrl, path, host);
      }
      expect((await objects()).worker).toBeGreaterThan(before.worker);
      expect(await answeringWorkers('/admit/0', 'miss')).toHaveProperty('size', 1);
      for (const path of paths) expect(versions.get(path)).toBe(1);
    });
});
