// The bench's origin, run by Node directly: node bench/origin-server.ts --port P --control-port C --workers N
// Both caches sit in front of this one origin. It answers from pre-built buffers so that it is not
// what limits a miss run, and counts what it serves so the bench can prove hits were hits and
// misses were misses. Paths:
//   /obj/1k, /obj/100k   cacheable objects of 1 KB and 100 KB
//   /miss/<anything>     a cacheable 1 KB object under any new URL (the miss section)
// The primary process serves GET /stats on the control port: {"objects":n,"misses":n,"other":n,"connections":n}.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { type OriginCounts, originCacheControl, originPaths } from './origin-routes.ts';

function objectBody(size: number): Buffer {
  const body = Buffer.alloc(size);
  for (let index = 0; index < size; index++) body[index] = 97 + (index % 26);
  return body;
}

function rawHeaders(body: Buffer, etag: string): string[] {
  return [
    'Content-Type',
    'application/octet-stream',
    'Content-Length',
    String(body.length),
    'Cache-Control',
    originCacheControl,
    'ETag',
    etag,
    'Last-Modified',
    'Wed, 25 Nov 2026 00:00:00 GMT',
  ];
}

function runWorker() {
  const small = objectBody(1024);
  const large = objectBody(100 * 1024);
  const smallHeaders = rawHeaders(small, '"1k"');
  const largeHeaders = rawHeaders(large, '"100k"');
  const counts: OriginCounts = { objects: 0, misses: 0, other: 0, connections: 0 };

  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === originPaths.object1k) {
      counts.objects++;
      response.writeHead(200, smallHeaders).end(request.method === 'HEAD' ? undefined : small);
    } else if (url === originPaths.object100k) {
      counts.objects++;
      response.writeHead(200, largeHeaders).end(request.method === 'HEAD' ? undefined : large);
    } else if (url.startsWith(originPaths.missPrefix)) {
      counts.misses++;
      response.writeHead(200, smallHeaders).end(request.method === 'HEAD' ? undefined : small);
    } else {
      counts.other++;
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such bench object\n');
    }
  });
  server.on('connection', () => {
    counts.connections++;
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.BENCH_ORIGIN_PORT), '127.0.0.1');

  // Deltas to the primary ten times a second: cheaper than a message per request.
  setInterval(() => {
    if (counts.objects + counts.misses + counts.other + counts.connections === 0) return;
    process.send?.({ ...counts });
    counts.objects = 0;
    counts.misses = 0;
    counts.other = 0;
    counts.connections = 0;
  }, 100).unref();
}

function runPrimary() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'control-port': { type: 'string' },
      workers: { type: 'string', default: '2' },
    },
  });
  const port = Number(values.port);
  const controlPort = Number(values['control-port']);
  const workers = Number(values.workers);
  if (!Number.isInteger(port) || !Number.isInteger(controlPort) || !(workers >= 1)) {
    process.stderr.write('usage: origin-server.ts --port P --control-port C --workers N\n');
    process.exit(2);
  }
  const totals: OriginCounts = { objects: 0, misses: 0, other: 0, connections: 0 };
  let stopping = false;
  for (let index = 0; index < workers; index++) {
    const worker = cluster.fork({ BENCH_ORIGIN_PORT: String(port) });
    worker.on('message', (delta: OriginCounts) => {
      totals.objects += delta.objects;
      totals.misses += delta.misses;
      totals.other += delta.other;
      totals.connections += delta.connections;
    });
    worker.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`origin worker exited (${code ?? signal}); stopping\n`);
        process.exit(1);
      }
    });
  }
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  createServer((request, response) => {
    if (request.url === '/stats') {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(totals));
    } else {
      response.writeHead(404).end();
    }
  }).listen(controlPort, '127.0.0.1');
}

if (import.meta.main) {
  if (cluster.isPrimary) runPrimary();
  else runWorker();
}
