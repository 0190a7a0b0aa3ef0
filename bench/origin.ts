// Starts the bench's origin (origin-server.ts) and reads what it has served.
import { join } from 'node:path';
import { fetchOnce, freePort, loopback, waitForHttp } from './net.ts';
import type { OriginCounts } from './origin-routes.ts';
import type { ProcessGroup, Started } from './processes.ts';

export interface Origin {
  readonly url: string;
  readonly process: Started;
  counts(): Promise<OriginCounts>;
}

export async function startOrigin(
  processes: ProcessGroup,
  options: { dir: string; workers: number },
): Promise<Origin> {
  const port = await freePort();
  const controlPort = await freePort();
  const script = join(import.meta.dirname, 'origin-server.ts');
  const started = processes.startServer(
    'origin',
    process.execPath,
    [
      script,
      '--port',
      String(port),
      '--control-port',
      String(controlPort),
      '--workers',
      String(options.workers),
    ],
    join(options.dir, 'origin.log'),
  );
  const isAlive = () => started.isAlive();
  const url = `http://${loopback}:${port}`;
  const statsUrl = `http://${loopback}:${controlPort}/stats`;
  await waitForHttp(`${url}/obj/1k`, { timeoutMs: 15_000, isAlive });
  await waitForHttp(statsUrl, { timeoutMs: 15_000, isAlive });
  return {
    url,
    process: started,
    async counts() {
      const response = await fetchOnce(statsUrl);
      return JSON.parse(response.body.toString('utf8')) as OriginCounts;
    },
  };
}
