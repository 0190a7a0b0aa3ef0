// One client request as it moves through the edge, and how it is finished (metrics, log line).
import type { IncomingHttpHeaders, OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import type { RequestInfo } from '../lib/http-cache/index.ts';
import type { Site } from '../lib/site.ts';
import type { CacheResult, Observer } from './observe.ts';

/**
 * What the edge reads of a client request: node:http's IncomingMessage, or the fast path's
 * FastRequest (fast-hit/fast-request.ts: a plain GET without a body).
 */
export interface EdgeRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly socket: { readonly remoteAddress?: string | undefined };
}

/**
 * What the edge writes a response with: node:http's ServerResponse, or the fast path's
 * FastResponse (fast-hit/fast-response.ts), which writes the same bytes to the socket.
 */
export interface EdgeResponse extends NodeJS.WritableStream {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  readonly statusCode: number;
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  destroy(error?: Error): this;
  writeEarlyHints(hints: Record<string, string | string[]>): void;
  writeProcessing(): void;
}

export interface Exchange {
  readonly req: EdgeRequest;
  readonly res: EdgeResponse;
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
