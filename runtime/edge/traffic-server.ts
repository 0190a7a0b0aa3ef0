// The traffic listener: node:http with header limits, strict parsing and timeouts in front of the
// edge handler. Node's parser already refuses the request-smuggling shapes (Content-Length with
// Transfer-Encoding, repeated Content-Length, obs-fold, bare LF...): see test/edge/desync.test.ts.
import { createServer, type Server } from 'node:http';
import { cacheStatus } from './cache-status.ts';
import type { EdgeContext } from './context.ts';
import { attachFastHits } from './fast-hit/index.ts';
import { createEdgeHandler } from './handler.ts';
import { zeroCopy } from './zero-copy/index.ts';

/** Request header limits: 16 KiB in total (Node's default, nginx's large_client_header_buffers). */
export const maxHeaderBytes = 16 * 1024;
export const maxHeaderCount = 100;

const refused = cacheStatus({ fwd: 'bypass', detail: 'bad-request' });

export function createTrafficServer(
  ctx: EdgeContext,
  paths: { fastHits: boolean; zeroCopy: boolean } = { fastHits: true, zeroCopy: true },
): Server {
  const handle = createEdgeHandler(ctx);
  const server = createServer(
    {
      maxHeaderSize: maxHeaderBytes,
      insecureHTTPParser: false,
      requireHostHeader: true,
      keepAlive: true,
      keepAliveTimeout: 65_000,
      headersTimeout: 20_000,
      requestTimeout: 300_000,
    },
    (req, res) => {
      // Past maxHeadersCount Node drops the extra headers silently; one more than the limit is
      // kept so the edge can see the overflow and refuse it, as nginx does, instead of forwarding
      // a request with headers missing.
      if (req.rawHeaders.length > maxHeaderCount * 2) {
        res.writeHead(431, {
          'content-type': 'text/plain; charset=utf-8',
          connection: 'close',
          'cache-status': refused,
        });
        res.end(`too many request headers (at most ${maxHeaderCount})\n`);
        return;
      }
      // RFC 9112 §3.2: more than one Host line is a 400 (Node keeps the first silently).
      let hosts = 0;
      const raw = req.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i] as string;
        if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
      }
      if (hosts > 1) {
        res.writeHead(400, {
          'content-type': 'text/plain; charset=utf-8',
          connection: 'close',
          'cache-status': refused,
        });
        res.end('more than one Host header\n');
        return;
      }
      handle(req, res);
    },
  );
  server.maxHeadersCount = maxHeaderCount + 1;
  // Plain fresh hits are answered before node:http sees them; every other request reaches the
  // handler above through node:http as before (fast-hit/).
  if (paths.fastHits)
    attachFastHits(
      server,
      ctx,
      { maxHeaderBytes, maxHeaderCount, zeroCopy: paths.zeroCopy ? zeroCopy : undefined },
      handle,
    );
  return server;
}
