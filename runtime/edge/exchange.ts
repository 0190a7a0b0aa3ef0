// One client request as it moves through the edge, and how it is finished (metrics, log line).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from '../lib/http-cache/index.ts';
import type { Site } from '../lib/site.ts';
import type { CacheResult, Observer } from './observe.ts';

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly site: Site;
  /** The request-target as received (origin-form path and query). */
  readonly target: string;
  readonly url: URL;
  /** The primary cache key. */
  readonly key: string;
  readonly info: RequestInfo;
  readonly startedAt: number;
  cache: CacheResult;
  bytes: number;
}

/** Records the finished exchange once the response is fully written (or the client went away). */
export function observeWhenDone(exchange: Exchange, observer: Observer): void {
  const done = () => {
    observer.request({
      site: exchange.site.id,
      method: exchange.info.method,
      path: exchange.target,
      status: exchange.res.statusCode,
      cache: exchange.cache,
      bytes: exchange.bytes,
      startedAt: exchange.startedAt,
    });
  };
  exchange.res.once('close', done);
}
