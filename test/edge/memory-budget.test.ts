// EDGEPLANE_CACHE_MEMORY_MB bounds the whole cache of a multi-threaded edge: the worker threads'
// tiers come out of it (runtime/edge/memory-budget.ts). `node runtime/main.ts` with two
// traffic threads and a 1 MB budget, filled past it through real misses and hits.
import {
  cacheMetric,
  type EdgeMain,
  getOnNewConnection,
  type Origin,
  startEdgeMain,
  startOrigin,
} from './harness.ts';

const host = { host: 'mb.test' };
const budget = 1024 * 1024;

// Without a disk tier each of the two threads keeps its own fills: half the budget each. With one,
// the worker thread keeps a hot tier of budget / (4 x 2) and the shared tier the rest.
describe.each([
  { tiers: 'without a disk tier', diskMb: undefined, worker: budget / 2 },
  { tiers: 'with a disk tier', diskMb: 4, worker: budget / 8 },
])('the memory budget of an edge with two threads, $tiers', ({ diskMb, worker }) => {
  let origin: Origin;
  let edge: EdgeMain;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'cache-control': 'max-age=300',
      });
      res.end(Buffer.alloc(1024, req.url ?? '/'));
    });
    edge = await startEdgeMain({
      sites: [{ id: 'mb', hosts: ['mb.test'], origin: origin.url }],
      workers: 2,
      memoryMb: 1,
      ...(diskMb === undefined ? {} : { diskMb }),
    });
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  it('keeps the shared tier and the worker tier together within EDGEPLANE_CACHE_MEMORY_MB', async () => {
    for (let i = 0; i < 600; i++) await getOnNewConnection(edge.trafficUrl, `/o/${i}`, host);
    // Asked again on new connections: with a disk tier the worker keeps the last ones as hot copies.
    for (let round = 0; round < 3; round++)
      for (let i = 560; i < 600; i++) await getOnNewConnection(edge.trafficUrl, `/o/${i}`, host);
    const shared = await cacheMetric(edge.managementUrl, 'bytes', 'memory');
    const workerBytes = await cacheMetric(edge.managementUrl, 'bytes', 'worker-memory');
    expect(await cacheMetric(edge.managementUrl, 'evictions_total', 'memory')).toBeGreaterThan(0);
    expect(shared).toBeLessThanOrEqual(budget - worker);
    // Full: within one object (~4 KB counted) of its share.
    expect(shared).toBeGreaterThan(budget - worker - 8 * 1024);
    expect(workerBytes).toBeGreaterThan(0);
    expect(workerBytes).toBeLessThanOrEqual(worker);
    expect(shared + workerBytes).toBeLessThanOrEqual(budget);
    if (diskMb === undefined) {
      // The worker's own misses filled its half too.
      expect(
        await cacheMetric(edge.managementUrl, 'evictions_total', 'worker-memory'),
      ).toBeGreaterThan(0);
      expect(workerBytes).toBeGreaterThan(worker - 8 * 1024);
    }
  }, 60_000);
});
