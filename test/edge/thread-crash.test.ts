// A worker thread that dies (ended abruptly, as a crash ends it) is replaced under the same index,
// and the edge keeps serving what the dead thread fetched from the shared store. The edge runs
// through thread-control-driver.ts: runtime/main.ts's start plus a stdin line that ends a thread.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../harness/services/index.ts';
import { edgeProcessEnv } from './edge-process-env.ts';
import { get, getOnNewConnection, type Origin, sleep, startOrigin } from './harness.ts';

const host = { host: 'crash.test' };

describe('a worker thread that dies', () => {
  let origin: Origin;
  let driver: ChildProcess;
  let output = '';
  let dir: string;
  let trafficUrl: string;
  let managementUrl: string;
  let fetches = 0;

  beforeAll(async () => {
    origin = await startOrigin((req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=300' });
      res.end(`${req.url} v${fetches}`);
    });
    dir = await mkdtemp(join(tmpdir(), 'thread-crash-'));
    const sitesFile = join(dir, 'sites.json');
    await writeFile(
      sitesFile,
      JSON.stringify({ sites: [{ id: 'crash', hosts: ['crash.test'], origin: origin.url }] }),
    );
    const trafficPort = await freePort();
    const managementPort = await freePort();
    trafficUrl = `http://127.0.0.1:${trafficPort}`;
    managementUrl = `http://127.0.0.1:${managementPort}`;
    driver = spawn(process.execPath, [join(__dirname, 'thread-control-driver.ts')], {
      env: edgeProcessEnv({ sitesFile, trafficPort, managementPort, workers: 2 }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    driver.stdout?.on('data', keep);
    driver.stderr?.on('data', keep);
    for (let i = 0; i < 150; i++) {
      const ready = await get(managementUrl, '/readyz').catch(() => undefined);
      if (ready?.status === 200) return;
      await sleep(100);
    }
    throw new Error(`edge did not become ready:\n${output}`);
  });

  afterAll(async () => {
    const exited = new Promise((resolve) => driver.once('exit', resolve));
    driver.kill('SIGTERM');
    await exited;
    await origin.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Which workers answered `path` as `cache`, by their request log lines. */
  const answeringWorkers = async (path: string, cache: string) => {
    await sleep(1200); // the request log is flushed at least every second
    const workers = new Set<number>();
    for (const line of output.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line);
      if (entry.path === path && entry.cache === cache) workers.add(entry.worker);
    }
    return workers;
  };

  it('is replaced, and the edge keeps serving from the shared store', async () => {
    for (let i = 0; i < 40; i++) await getOnNewConnection(trafficUrl, '/survivor', host);
    expect(await answeringWorkers('/survivor', 'hit')).toEqual(new Set([1, 2]));
    driver.stdin?.write('terminate 2\n');
    let replaced = false;
    for (let i = 0; i < 100 && !replaced; i++) {
      await sleep(100);
      const ready = await get(managementUrl, '/readyz').catch(() => undefined);
      replaced = ready?.status === 200 && output.includes('edge worker exited; starting another');
    }
    expect(replaced).toBe(true);
    expect(output).toMatch(/"worker":2,"code":1,"msg":"edge worker exited; starting another"/);
    const replies = [];
    for (let i = 0; i < 20; i++)
      replies.push(await getOnNewConnection(trafficUrl, '/survivor', host));
    expect(replies.every((reply) => reply.status === 200 && reply.body === '/survivor v1')).toBe(
      true,
    );
    expect(fetches).toBe(1);
  });
});
