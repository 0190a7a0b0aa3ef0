// What the memory tier keeps of a body owns its memory exactly (store/owned-bytes.ts): a body
// carved out of one of Node's shared 64 KiB pool slabs would keep the whole slab alive for as long
// as the cache holds it, which the tier's byte bound never counts. A traffic process on listen(0)
// in front of a real origin.
import { get, type Origin, startOrigin } from '../../test/edge/harness.ts';
import { startTestTrafficEdge, type TestTrafficEdge } from './fast-hit/testing.ts';

describe('bodies the memory tier keeps', () => {
  let origin: Origin;
  let edge: TestTrafficEdge;
  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' });
      res.end(`${req.url} `.repeat(200));
    });
    edge = await startTestTrafficEdge([{ id: 'b', hosts: ['b.test'], origin: origin.url }]);
  });
  afterAll(async () => {
    await edge.close();
    await origin.close();
  });
  const ask = (path: string, headers: Record<string, string> = {}) =>
    get(`http://127.0.0.1:${edge.port}`, path, { host: 'b.test', ...headers });
  const variantsOf = (path: string) => {
    const object = [...edge.traffic.ctx.memory.values()].find((o) => o.path === path);
    if (object === undefined) throw new Error(`${path} is not in the memory tier`);
    return object.variants;
  };
  const ownsItsMemory = (bytes: Buffer) =>
    bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;

  it('keeps a filled body in memory of its own, not in a pool slab', async () => {
    const miss = await ask('/small');
    expect(String(miss.headers['cache-status'])).toMatch(/fwd=uri-miss/);
    const [variant] = variantsOf('/small');
    expect(variant?.body.length).toBe('/small '.length * 200);
    expect(ownsItsMemory(variant?.body as Buffer)).toBe(true);
  });

  it('keeps the compressed bodies it makes in memory of their own', async () => {
    await ask('/text');
    for (const coding of ['br', 'gzip'] as const) {
      const hit = await ask('/text', { 'accept-encoding': coding });
      expect(hit.headers['content-encoding']).toBe(coding);
    }
    const [variant] = variantsOf('/text');
    for (const coding of ['br', 'gzip'] as const) {
      const compressed = variant?.compressed?.[coding];
      expect(compressed?.length).toBeGreaterThan(0);
      expect(ownsItsMemory(compressed as Buffer)).toBe(true);
    }
  });
});
