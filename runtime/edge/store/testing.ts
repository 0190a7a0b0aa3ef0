// Objects for the store's tests.
import type { CachedObject } from './entry.ts';

/** A fresh 200 with `body`, as a fill stores it. */
export function objectFor(key: string, body = 'stored body', path = '/a'): CachedObject {
  return {
    key,
    siteId: 'site',
    path,
    vary: [],
    variants: [
      {
        varyKey: '',
        status: 200,
        headers: { 'content-length': String(body.length), 'cache-control': 'max-age=60' },
        body: Buffer.from(body),
        requestTime: 1_000,
        responseTime: 1_000,
        tags: [],
      },
    ],
  };
}
