// Every process the bench starts, stopped by its PID at the end, on Ctrl-C and on error.
// Servers get their own session (setsid, via `detached`) so a dying terminal cannot SIGHUP them,
// and so stopping one means signalling its process group: nginx's and node cluster's workers go too.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** The exact command line, for the report. */
  readonly command: string;
  /** Where its stdout and stderr go. */
  readonly logPath: string;
  /** False once it exited, was killed or could not be started. */
  isAlive(): boolean;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export class ProcessGroup {
  private readonly started: Started[] = [];

  /** Starts a long-lived server in a session of its own, output to logPath. */
  startServer(
    name: string,
    command: string,
    args: readonly string[],
    logPath: string,
    options: StartOptions = {},
  ): Started {
    const log = openSync(logPath, 'a');
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    closeSync(log); // the child holds its own copy
    let failed = false;
    child.once('error', (error) => {
      failed = true;
      process.stderr.write(`bench: ${name}: ${error.message}\n`);
    });
    if (child.pid === undefined) throw new Error(`could not start ${name}: ${command}`);
    const started: Started = {
      name,
      child,
      pid: child.pid,
      command: [command, ...args].join(' '),
      logPath,
      isAlive: () => !failed && isRunning(child),
    };
    this.started.push(started);
    return started;
  }

  /** Stops one server: SIGTERM to its process group, SIGKILL after graceMs. */
  async stop(started: Started, graceMs = 5000): Promise<void> {
    const index = this.started.indexOf(started);
    if (index !== -1) this.started.splice(index, 1);
    if (!isRunning(started.child)) return;
    const deadline = Date.now() + graceMs;
    const exited = once(started.child, 'exit');
    signalGroup(started.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(started.pid, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // Workers may still be finishing (writing a CPU profile, say): give them the rest of the
    // grace period, then whatever outlived its leader goes with the group.
    while (groupExists(started.pid) && Date.now() < deadline) await sleep(20);
    signalGroup(started.pid, 'SIGKILL');
  }

  /** Stops everything still running, newest first. */
  async stopAll(): Promise<void> {
    for (const started of [...this.started].reverse()) await this.stop(started);
  }

  /** Synchronous last resort for process 'exit': signals every group still known. */
  killAllNow(): void {
    for (const started of this.started) signalGroup(started.pid, 'SIGKILL');
  }
}

function groupExists(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** Resolves with the child's exit code; rejects when it ran longer than timeoutMs (it is then killed). */
export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (!isRunning(child)) return child.exitCode;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${child.spawnfile} ran past ${timeoutMs} ms and was killed`));
    }, timeoutMs);
  });
  try {
    const [code] = (await Promise.race([once(child, 'exit'), timeout])) as [number | null];
    return code;
  } finally {
    clearTimeout(timer);
  }
}
