// A runtime service (origin or edge) under local mode: a child process of its own process group
// (a terminal's Ctrl-C reaches the supervisor alone, which stops services in order), its output
// in its log, readiness read from its management port's probe.
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceLog } from './logs.ts';

export interface Service {
  readonly name: string;
  readonly child: ChildProcess;
  /** Settles when the process exits, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startService(
  name: string,
  entry: string,
  env: Record<string, string>,
  log: ServiceLog,
): Service {
  // The name is for `ps` alone: the role comes from the environment.
  const child = spawn(process.execPath, [entry, name], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      log.write(`${name} could not start: ${error.message}\n`);
      resolve({ code: null, signal: null });
    });
  });
  return {
    name,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls `url` until it answers 200 or `cancelled()` turns true; rejects if the service exits
 * first or `timeoutMs` passes.
 */
export async function waitReady(
  service: Service,
  url: string,
  timeoutMs: number,
  cancelled: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void service.exited.then(() => {
    gone = true;
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (cancelled()) return;
    if (gone) throw new Error(`${service.name} exited before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `${response.status} ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(150);
  }
  throw new Error(`${service.name} was not ready in ${timeoutMs / 1000} s (${url}: ${last})`);
}
