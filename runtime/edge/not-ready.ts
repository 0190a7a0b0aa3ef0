// The traffic port before the edge has its sites (the origin's snapshot is not in yet): 503 with
// Retry-After for every request, so a client or load balancer retries instead of caching a 404
// for a host this edge will serve in a moment.
import { cacheStatus } from './cache-status.ts';
import type { EdgeContext } from './context.ts';
import type { EdgeRequest, EdgeResponse } from './exchange.ts';
import { viaToken } from './forward-headers.ts';

const body = 'this edge is starting: its sites are not loaded from the origin yet; retry shortly\n';
const member = cacheStatus({ fwd: 'bypass', detail: 'not-ready' });

export function notReady(
  ctx: EdgeContext,
  req: EdgeRequest,
  res: EdgeResponse,
  startedAt: number,
): void {
  res.writeHead(503, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'retry-after': '1',
    'cache-status': member,
    via: viaToken,
  });
  res.end(body);
  ctx.observer.request({
    site: 'unknown',
    method: req.method ?? 'GET',
    path: '',
    status: 503,
    cache: 'none',
    bytes: 0,
    startedAt,
  });
}
