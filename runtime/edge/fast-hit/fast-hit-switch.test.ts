// EDGEPLANE_FAST_HITS=off: no fast path is attached, and hits are still served (by node:http and
// the full handler). The operator's way back if the fast path's request scanner is ever in doubt.
import { request } from 'node:http';
import { type Origin, startOrigin } from '../../../test/edge/harness.ts';
import { fastHitStats } from './index.ts';
import { startTestTrafficEdge, type TestTrafficEdge } from './testing.ts';

let origin: Origin;
let edge: TestTrafficEdge | undefined;

beforeAll(async () => {
  origin = await startOrigin((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=600' });
    res.end('switch body');
  });
});

afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

afterAll(async () => {
  await origin.close();
});

const sites = () => [{ id: 'switch', hosts: ['switch.test'], origin: origin.url }];

/** node:http, not fetch: fetch does not send a Host of our choosing. */
function get(port: number): Promise<{ status: number; cacheStatus: string | undefined }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/page', headers: { host: 'switch.test' } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cacheStatus: res.headers['cache-status'] as string,
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('EDGEPLANE_FAST_HITS', () => {
  it('is on by default', async () => {
    edge = await startTestTrafficEdge(sites());
    expect(fastHitStats(edge.traffic.server)).toBeDefined();
  });

  it('off: no fast path, and hits are served by the full handler', async () => {
    edge = await startTestTrafficEdge(sites(), { EDGEPLANE_FAST_HITS: 'off' });
    expect(fastHitStats(edge.traffic.server)).toBeUndefined();
    expect(await get(edge.port)).toEqual({
      status: 200,
      cacheStatus: expect.stringContaining('fwd=uri-miss'),
    });
    expect(await get(edge.port)).toEqual({
      status: 200,
      cacheStatus: expect.stringMatching(/; hit/),
    });
    expect(origin.requests).toHaveLength(1);
  });
});
