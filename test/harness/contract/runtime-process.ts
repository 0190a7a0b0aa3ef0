// The real runtime as a container would run it: `node runtime/main.ts` (what the image's bundle is
// built from) with exactly the environment given, in a session of its own (setsid), stopped by its
// PID with SIGTERM as the kubelet does.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
// stack-files.ts, not the Pulumi harness's index: this module must not load the Pulumi SDK.
import { projectRoot } from '../pulumi/stack-files.ts';

export interface RuntimeProcess {
  readonly pid: number;
  /** Everything it wrote on stdout and stderr so far. */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

export function startRuntime(env: Record<string, string>, args: readonly string[] = []) {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(projectRoot(), 'runtime', 'main.ts'), ...args],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid === undefined) throw new Error('the runtime did not start');
  const pid = child.pid;
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = once(child, 'exit').then(() => child.exitCode);
  const running = () => child.exitCode === null && child.signalCode === null;
  const runtime: RuntimeProcess = {
    pid,
    output: () => output,
    exited: () => !running(),
    async stop(graceMs = 10_000) {
      if (!running()) return child.exitCode;
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
        // The edge's cluster workers are in the same group: none may outlive the test.
        signalGroup(pid, 'SIGKILL');
      }
    },
  };
  return runtime;
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}
