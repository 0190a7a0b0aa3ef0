// STAND-IN EDGE, NOT EDGEPLANE'S EDGE: a toy cache that let the bench be built before runtime/edge
// served traffic. `npm run bench -- --edge stand-in` uses it and labels every figure as the
// stand-in's. It knows nothing of RFC 9111 beyond "200 + Cache-Control max-age is stored".
// Run directly: node bench/stand-in-edge.ts --port P --origin http://127.0.0.1:O --workers N
import cluster from 'node:cluster';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

interface Entry {
  status: number;
  headers: string[];
  body: Buffer;
}

function runWorker(port: number, origin: string) {
  const pool = new Pool(origin, { connections: 64, pipelining: 1 });
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();

  async function fetchFromOrigin(request: IncomingMessage): Promise<Entry> {
    const response = await pool.request({
      path: request.url ?? '/',
      method: 'GET',
      headers: { host: request.headers.host ?? '' },
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    const headers: string[] = [];
    for (const [name, value] of Object.entries(response.headers)) {
      if (name === 'connection' || name === 'keep-alive' || name === 'transfer-encoding') continue;
      for (const one of Array.isArray(value) ? value : [value ?? '']) headers.push(name, one);
    }
    return { status: response.statusCode, headers, body };
  }

  function send(response: ServerResponse, entry: Entry, status: string) {
    response.writeHead(entry.status, [...entry.headers, 'cache-status', status]).end(entry.body);
  }

  createServer((request, response) => {
    const key = `${request.headers.host}${request.url}`;
    const cached = cache.get(key);
    if (cached && request.method === 'GET') return send(response, cached, 'stand-in; hit');
    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchFromOrigin(request).then((entry) => {
        const cacheControl = entry.headers[entry.headers.indexOf('cache-control') + 1] ?? '';
        if (entry.status === 200 && /max-age=\d+/.test(cacheControl)) cache.set(key, entry);
        return entry;
      });
      pending.finally(() => inFlight.delete(key)).catch(() => {});
      inFlight.set(key, pending);
    }
    pending.then(
      (entry) => send(response, entry, 'stand-in; fwd=miss'),
      () => response.writeHead(502).end(),
    );
  }).listen(port, '127.0.0.1');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      origin: { type: 'string' },
      workers: { type: 'string', default: '2' },
    },
  });
  const port = Number(values.port);
  if (cluster.isPrimary) {
    for (let index = 0; index < Number(values.workers); index++) cluster.fork();
    const stop = () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } else {
    // A clean exit, so that `node --cpu-prof` writes the worker's profile.
    process.on('SIGTERM', () => process.exit(0));
    runWorker(port, values.origin ?? '');
  }
}
