// Starts Debian's nginx in the foreground (daemon off) with the rendered config in a private dir.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, loopback, waitForHttp } from './net.ts';
import { renderNginxConfig } from './nginx-config.ts';
import type { ProcessGroup } from './processes.ts';
import type { Target } from './section.ts';

export const nginxBinary = '/usr/sbin/nginx';

export async function startNginx(
  processes: ProcessGroup,
  options: { dir: string; cacheDir: string; originUrl: string; workers: number; host: string },
): Promise<Target> {
  const port = await freePort();
  const config = join(options.dir, 'nginx.conf');
  await writeFile(
    config,
    renderNginxConfig({
      dir: options.dir,
      cacheDir: options.cacheDir,
      listenPort: port,
      origin: new URL(options.originUrl).host,
      workers: options.workers,
      runAsRoot: process.getuid?.() === 0,
    }),
  );
  const started = processes.startServer(
    'nginx',
    nginxBinary,
    ['-p', options.dir, '-e', join(options.dir, 'nginx-error.log'), '-c', config],
    join(options.dir, 'nginx.log'),
  );
  const url = `http://${loopback}:${port}`;
  await waitForHttp(`${url}/obj/1k`, {
    timeoutMs: 15_000,
    headers: { host: options.host },
    isAlive: () => started.isAlive(),
  });
  return {
    name: 'nginx',
    url,
    process: started,
    commands: [`${started.command}   (cache in ${options.cacheDir})`],
  };
}
