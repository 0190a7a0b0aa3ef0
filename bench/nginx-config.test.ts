import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nginxBinary } from './nginx.ts';
import { type NginxConfigInput, renderNginxConfig } from './nginx-config.ts';

const input: NginxConfigInput = {
  dir: '/tmp/bench-x',
  cacheDir: '/dev/shm/bench-cache-x',
  listenPort: 41234,
  origin: '127.0.0.1:41000',
  workers: 2,
  runAsRoot: false,
};

/** The arguments of a directive, wherever it is; every occurrence. */
function directive(config: string, name: string): string[] {
  return [...config.matchAll(new RegExp(`^\\s*${name}\\s+([^;{\\n]*);`, 'gm'))].map(
    (match) => match[1] ?? '',
  );
}

describe('renderNginxConfig', () => {
  const config = renderNginxConfig(input);

  it('is a fair CDN edge: 2 workers, upstream keep-alive over HTTP/1.1, collapsing, logging', () => {
    expect(directive(config, 'worker_processes')).toEqual(['2']);
    expect(directive(config, 'keepalive')).toEqual(['64']);
    expect(directive(config, 'proxy_http_version')).toEqual(['1.1']);
    // Without clearing Connection, nginx sends "close" and the upstream keep-alive is never used.
    expect(directive(config, 'proxy_set_header Connection')).toEqual(['""']);
    expect(directive(config, 'proxy_cache_lock')).toEqual(['on']);
    expect(directive(config, 'proxy_cache')).toEqual(['edge']);
    expect(directive(config, 'access_log')).toEqual([
      '/tmp/bench-x/nginx-access.log combined buffer=64k flush=1s',
    ]);
  });

  it('turns tcp_nopush off, which stalls 100 KB hits on loopback with sendfile', () => {
    expect(directive(config, 'tcp_nopush')).toEqual(['off']);
  });

  it('listens on loopback only, proxies to the origin and keeps everything in its folders', () => {
    expect(directive(config, 'listen')).toEqual(['127.0.0.1:41234 backlog=4096']);
    expect(directive(config, 'server')).toEqual(['127.0.0.1:41000']);
    expect(directive(config, 'proxy_cache_path')[0]).toMatch(/^\/dev\/shm\/bench-cache-x /);
    expect(directive(config, 'pid')).toEqual(['/tmp/bench-x/nginx.pid']);
    for (const name of ['client_body_temp_path', 'proxy_temp_path', 'error_log']) {
      expect(directive(config, name)[0]).toMatch(/^\/tmp\/bench-x\//);
    }
  });

  it('names a user only when it runs as root', () => {
    expect(directive(config, 'user')).toEqual([]);
    expect(directive(renderNginxConfig({ ...input, runAsRoot: true }), 'user')).toEqual(['root']);
  });

  it('is accepted by nginx -t', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-nginx-config-'));
    try {
      const path = join(dir, 'nginx.conf');
      await writeFile(
        path,
        renderNginxConfig({
          ...input,
          dir,
          cacheDir: join(dir, 'cache'),
          runAsRoot: process.getuid?.() === 0,
        }),
      );
      const { stderr } = await promisify(execFile)(nginxBinary, [
        '-t',
        '-p',
        dir,
        '-e',
        join(dir, 'nginx-error.log'),
        '-c',
        path,
      ]);
      expect(stderr).toContain('syntax is ok');
      expect(stderr).toContain('test is successful');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
