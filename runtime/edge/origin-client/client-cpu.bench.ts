// CPU per origin request of the two clients behind Upstream, raw (origin-client/) and undici,
// against the bench origin (bench/origin-server.ts, a child process, so its CPU is not counted).
// This process's user+system CPU over a fixed number of requests is the figure: it holds on a
// shared machine, where wall-clock rates do not. Rounds alternate between the clients.
//   node runtime/edge/origin-client/client-cpu.bench.ts [--requests 20000] [--concurrency 32] [--rounds 3]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { type OriginClientKind, Upstream } from '../upstream.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);

const port = 30_000 + Math.floor(Math.random() * 10_000);
const root = new URL('../../../', import.meta.url).pathname;
const origin = spawn(
  process.execPath,
  [
    `${root}bench/origin-server.ts`,
    '--port',
    String(port),
    '--control-port',
    String(port + 1),
    '--workers',
    '1',
  ],
  { stdio: 'ignore', detached: true },
);

async function waitForOrigin(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/obj/1k`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('the bench origin did not start');
}

async function run(kind: OriginClientKind, count: number): Promise<number> {
  const upstream = new Upstream({
    connectTimeoutMs: 5000,
    firstByteTimeoutMs: 30_000,
    idleTimeoutMs: 30_000,
    connectionsPerOrigin: 128,
    originClient: kind,
  });
  let next = 0;
  let limit = Math.min(2000, count); // first a warm-up that fills the pool
  const one = async () => {
    while (next < limit) {
      const n = next++;
      const response = await upstream.request({
        origin: `http://127.0.0.1:${port}`,
        path: `/miss/${kind}/${n}`,
        method: 'GET',
        headers: ['host', 'bench.edgeplane.test', 'accept', '*/*', 'user-agent', 'bench'],
      });
      while (!response.body.ended) {
        response.body.take();
        if (!response.body.ended) await response.body.wait();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, one));
  next = 0;
  limit = count;
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, one));
  const used = process.cpuUsage(before);
  await upstream.close();
  return (used.user + used.system) / count;
}

try {
  await waitForOrigin();
  for (let round = 1; round <= rounds; round++) {
    for (const kind of ['raw', 'undici'] as const) {
      const perRequest = await run(kind, requests);
      console.log(`round ${round} ${kind.padEnd(6)} ${perRequest.toFixed(1)} µs CPU per request`);
    }
  }
} finally {
  if (origin.pid !== undefined) process.kill(-origin.pid, 'SIGTERM');
}
