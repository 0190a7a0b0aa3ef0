// EDGEPLANE_CACHE_MEMORY_MB bounds the whole cache of a multi-threaded edge: the worker threads'
// hot tiers come out of it (runtime/edge/memory-budget.ts). `node runtime/main.ts` with two
// traffic threads and a 1 MB budget, filled past it through real misses and hits.
import {
  type EdgeMain,
  get,
  getOnNewConnection,
  type Origin,
  startEdgeMain,
  startOrigin,
} from './harness.ts';

const host = { host: 'mb.test' };
const budget = 1024 * 1024;
// Two threads: one worker thread with a hot tier of budget / (4 x 2).
const workerHot = budget / 8;

describe('the memory budget of an edge with two threads', () => {
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
    });
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });

  const cacheMetric = async (name: 'bytes' | 'objects' | 'evictions_total', tier: string) => {
    const metrics = (await get(edge.managementUrl, '/metrics')).body;
    const found = new RegExp(`edgeplane_edge_cache_${name}\\{tier="${tier}"\\} (\\d+)`).exec(
      metrics,
    );
    return Number(found?.[1]);
  };

  it('keeps the shared tier and the hot tier together within EDGEPLANE_CACHE_MEMORY_MB', async () => {
    for (let i = 0; i < 600; i++) await getOnNewConnection(edge.trafficUrl, `/o/${i}`, host);
    // Asked again on new connections, the worker thread keeps the last ones in its hot tier.
    for (let round = 0; round < 3; round++)
      for (let i = 560; i < 600; i++) await getOnNewConnection(edge.trafficUrl, `/o/${i}`, host);
    const shared = await cacheMetric('bytes', 'memory');
    const hot = await cacheMetric('bytes', 'worker-memory');
    expect(await cacheMetric('evictions_total', 'memory')).toBeGreaterThan(0);
    expect(shared).toBeLessThanOrEqual(budget - workerHot);
    // Full: within one object (~4 KB counted) of its share.
    expect(shared).toBeGreaterThan(budget - workerHot - 8 * 1024);
    expect(hot).toBeGreaterThan(0);
    expect(hot).toBeLessThanOrEqual(workerHot);
    expect(shared + hot).toBeLessThanOrEqual(budget);
  }, 60_000);
});
