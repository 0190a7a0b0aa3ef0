/**
 * Micro-benchmark of the per-request calls the edge makes on a cache hit and a miss.
 * Run: node runtime/lib/http-cache/hot-path.bench.ts   (prints ns per call; bounded loops)
 * Not a test: speed is measured here, never asserted.
 */
import {
  cacheKey,
  chooseEncoding,
  decideServe,
  evaluatePreconditions,
  formatCacheStatus,
  planRange,
  requestUrl,
  type StoredResponse,
  secondaryKey,
  storability,
  stripHopByHop,
  varyFields,
} from './index.ts';

const now = Date.UTC(2026, 10, 26, 10, 0, 0);
const stored: StoredResponse = {
  status: 200,
  headers: {
    date: new Date(now).toUTCString(),
    'cache-control': 'public, max-age=3600, stale-while-revalidate=60',
    etag: '"abc"',
    'last-modified': new Date(now - 1e6).toUTCString(),
    'content-type': 'text/html',
    'content-length': '1024',
    vary: 'accept-encoding',
  },
  requestTime: now,
  responseTime: now,
};
const request = {
  method: 'GET',
  headers: { host: 'example.com', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'wrk' },
};
const url = requestUrl('http', 'example.com', '/assets/app.js?v=3&b=1');
if (!url) throw new Error('benchmark URL must parse');

const cases: Array<[string, () => unknown]> = [
  ['requestUrl', () => requestUrl('http', 'example.com', '/assets/app.js?v=3&b=1')],
  ['cacheKey (URL object, sort)', () => cacheKey('GET', url, { mode: 'sort' })],
  ['varyFields + secondaryKey', () => secondaryKey(varyFields(stored.headers), request.headers)],
  ['decideServe (fresh hit)', () => decideServe(request, stored, now + 1000)],
  ['evaluatePreconditions (none)', () => evaluatePreconditions(request, stored.headers)],
  ['planRange (no Range)', () => planRange(request, stored, 1024)],
  ['chooseEncoding', () => chooseEncoding(request.headers)],
  ['formatCacheStatus (hit)', () => formatCacheStatus('edgeplane', { hit: true, ttl: 3599 })],
  ['stripHopByHop (miss)', () => stripHopByHop(stored.headers)],
  ['storability (miss)', () => storability(request, stored)],
];

const ITERATIONS = 200_000;
for (const [name, fn] of cases) {
  for (let i = 0; i < 20_000; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) fn();
  const ns = Number(process.hrtime.bigint() - start) / ITERATIONS;
  console.log(`${name.padEnd(32)} ${ns.toFixed(0).padStart(6)} ns/call`);
}
