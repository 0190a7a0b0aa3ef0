// Run by stored-footprint.test.ts as `node --expose-gc`: fills a traffic process's memory tier
// through real misses, then prints what the tier counts for its objects against the memory they
// actually hold (V8 heap plus ArrayBuffers freed when the tier is cleared), as one JSON line.
import { Agent, createServer, request } from 'node:http';
import { joinedBytesHeld } from '../../runtime/edge/fast-hit/hit-response.ts';
import { startTestTrafficEdge } from '../../runtime/edge/fast-hit/testing.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const objects = Number(process.argv[2] ?? 4000);
const bodyBytes = Number(process.argv[3] ?? 1024);
const shape = process.argv[4] ?? 'typical';
// 'hit': every object is also asked for again, so it carries what hits build (wire fields, heads).
const hit = process.argv[5] === 'hit';

// A typical CDN origin answer (12 fields), or the bench origin's (bench/origin-server.ts).
const fields: Record<string, string> =
  shape === 'bench'
    ? {
        'content-type': 'application/octet-stream',
        'cache-control': 'public, max-age=86400',
        etag: '"1k"',
        'last-modified': 'Wed, 25 Nov 2026 00:00:00 GMT',
      }
    : {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'public, max-age=300, stale-while-revalidate=60',
        'last-modified': 'Wed, 25 Nov 2026 00:00:00 GMT',
        server: 'origin/1.25',
        'x-request-id': '',
        'strict-transport-security': 'max-age=63072000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': '*',
        'surrogate-key': 'page section-news',
      };

const body = Buffer.alloc(bodyBytes, 'a');
const origin = createServer((req, res) => {
  const headers: Record<string, string> = { ...fields, 'content-length': String(body.length) };
  if (shape !== 'bench') headers['x-request-id'] = `req-${req.url?.slice(3)}-0123456789abcdef`;
  res.writeHead(200, { ...headers, etag: `"${req.url?.slice(3)}-v1"` });
  res.end(body);
});
await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
const address = origin.address();
const originPort = typeof address === 'object' && address !== null ? address.port : 0;

const edge = await startTestTrafficEdge(
  [{ id: 'f', hosts: ['f.test'], origin: `http://127.0.0.1:${originPort}` }],
  // Request lines would pile up in the helper's array: not what is measured.
  { EDGEPLANE_REQUEST_LOG: 'off', EDGEPLANE_CACHE_MAX_OBJECTS: String(objects * 2) },
);

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
function miss(index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const path = `/o/${index}/page.html?v=1`;
    request(
      { port: edge.port, host: '127.0.0.1', path, headers: { host: 'f.test' }, agent },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode}`));
        res.resume().on('end', resolve);
      },
    )
      .on('error', reject)
      .end();
  });
}

const held = () => {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

// Warm up the paths on 200 objects of their own (held and counted with the rest).
for (let index = 0; index < 200; index++) await miss(-index - 1);
const memory = edge.traffic.ctx.memory;
let next = 0;
const worker = async () => {
  while (next < objects) await miss(next++);
};
await Promise.all(Array.from({ length: 8 }, worker));
if (hit) {
  next = 0;
  await Promise.all(Array.from({ length: 8 }, worker));
}
const counted = memory.bytes;
const count = memory.objects;
// Hits' joined head+body buffers have their own bound (32 MiB per process) and outlive the tier's
// objects until that bound rolls over: they are in both figures, so not in the difference.
const joined = joinedBytesHeld();
const full = held();
memory.clear();
const empty = held();
process.stdout.write(
  `${JSON.stringify({ shape, bodyBytes, hit, count, joined, countedPerObject: counted / count, heldPerObject: (full - empty) / count })}\n`,
);
agent.destroy();
await edge.close();
origin.close();
