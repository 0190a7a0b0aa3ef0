// A purge that lands while a miss is being fetched wins: unit checks of the fence, then a real
// edge, a real slow origin and the management purge endpoint.
import { get, purgeToken, sleep, startOrigin, startTestEdge } from '../../../test/edge/harness.ts';
import type { PurgeRequest } from '../purge.ts';
import type { CachedObject } from './entry.ts';
import { PurgeFence } from './purge-fence.ts';

function object(path: string, requestTime: number, tags: string[] = []): CachedObject {
  return {
    key: `GET http://shop${path}`,
    siteId: 'shop',
    path,
    vary: [],
    variants: [
      {
        varyKey: '',
        status: 200,
        headers: {},
        body: Buffer.from('x'),
        requestTime,
        responseTime: requestTime + 5,
        tags,
      },
    ],
  };
}

const purge = (values: string[], mode: 'hard' | 'soft', kind: 'url' | 'key' = 'url') =>
  ({ site: 'shop', kind, values, mode }) satisfies PurgeRequest;

describe('PurgeFence', () => {
  it('refuses a response requested before a matching hard purge, admits later ones and others', () => {
    const fence = new PurgeFence(60_000);
    fence.record(purge(['/a'], 'hard'), 1000);
    expect(fence.admit(object('/a', 999))).toBe(false);
    expect(fence.admit(object('/a', 1000))).toBe(false);
    expect(fence.admit(object('/a', 1001))).toBe(true);
    expect(fence.admit(object('/b', 999))).toBe(true);
  });

  it('stores a response requested before a soft purge already stale', () => {
    const fence = new PurgeFence(60_000);
    fence.record(purge(['tag'], 'soft', 'key'), 1000);
    const stale = object('/a', 900, ['tag']);
    expect(fence.admit(stale)).toBe(true);
    expect(stale.variants[0]?.invalidatedAt).toBe(1000);
    const other = object('/a', 900, ['other']);
    expect(fence.admit(other)).toBe(true);
    expect(other.variants[0]?.invalidatedAt).toBeUndefined();
  });

  it('forgets purges older than its window, and then refuses responses older than those', () => {
    const fence = new PurgeFence(1000);
    fence.record(purge(['/a'], 'hard'), 1000);
    fence.record(purge(['/z'], 'hard'), 5000);
    // The purge of /a is forgotten: a response requested before it cannot be checked.
    expect(fence.admit(object('/b', 500))).toBe(false);
    expect(fence.admit(object('/a', 2000))).toBe(true);
  });
});

describe('a purge during a fill', () => {
  it.each(['hard', 'soft'] as const)(
    'is not undone by the fill (%s): the next request goes to the origin again',
    async (mode) => {
      let delay = 400;
      const origin = await startOrigin(async (_req, res) => {
        const wait = delay;
        delay = 0;
        await sleep(wait);
        res.writeHead(200, { 'cache-control': 'max-age=300', 'content-type': 'text/plain' });
        res.end(`copy ${origin.requests.length}`);
      });
      const edge = await startTestEdge([{ id: 'shop', hosts: ['shop.test'], origin: origin.url }]);
      try {
        const filling = get(edge.url, '/slow', { host: 'shop.test' });
        // The purge is applied while the origin is still answering the miss.
        while (origin.requests.length === 0) await sleep(10);
        const purged = await get(
          edge.managementUrl,
          '/purge',
          { authorization: `Bearer ${purgeToken}`, 'content-type': 'application/json' },
          'POST',
          JSON.stringify({ site: 'shop', kind: 'url', values: ['/slow'], mode }),
        );
        expect(purged.status).toBe(200);
        const first = await filling;
        expect(first.body).toBe('copy 1');
        const next = await get(edge.url, '/slow', { host: 'shop.test' });
        expect(next.body).toBe('copy 2');
        expect(origin.requests).toHaveLength(2);
      } finally {
        await edge.close();
        await origin.close();
      }
    },
  );
});
