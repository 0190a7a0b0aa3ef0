// A real Redis (Debian's redis-server) on a free loopback port, without persistence.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface RunningRedis {
  /** redis://127.0.0.1:port (rediss:// with TLS) */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /**
   * Serve TLS only (no plaintext port), as Memorystore and ElastiCache with in-transit encryption
   * do; clients are not asked for certificates. The URL is then rediss://.
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** Require this password (`requirepass`), as the rendered in-cluster Redis does. */
  password?: string;
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeplane-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const listen = options.tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          options.tls.certFile,
          '--tls-key-file',
          options.tls.keyFile,
          '--tls-ca-cert-file',
          options.tls.caFile,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(port)];
    const child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        ...listen,
        ...(options.password === undefined ? [] : ['--requirepass', options.password]),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitForReady(child);
      return {
        url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
        port,
        pid: child.pid as number,
        async stop() {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await stopChild(child);
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) settle();
    };
    const onError = (error: Error) =>
      settle(
        new Error(
          `redis-server could not start (is Debian's redis-server installed?): ${error.message}`,
        ),
      );
    const onExit = (code: number | null) =>
      settle(new Error(`redis-server exited with ${code}:\n${output}`));
    const timer = setTimeout(
      () => settle(new Error(`redis-server not ready in 10 s:\n${output}`)),
      10_000,
    );
    function settle(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onOutput);
      child.stderr?.off('data', onOutput);
      child.off('error', onError);
      child.off('exit', onExit);
      // Keep draining the pipes so redis never blocks on a full one.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
