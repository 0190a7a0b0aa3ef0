// One bench at a time on a machine: two runs would load the same cores and distort each other's
// figures. The lock is a file holding the holder's PID; a lock whose process is gone is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../runtime/local/lock.ts';

export const defaultLockPath = join(tmpdir(), 'edgeplane-bench.lock');

export interface RunLock {
  release(): Promise<void>;
}

/** Takes the lock, waiting (bounded by timeoutMs) while another live bench holds it. */
export async function acquireRunLock(options: {
  path?: string;
  timeoutMs: number;
  onWait?: (holderPid: number) => void;
  signal?: AbortSignal;
}): Promise<RunLock> {
  const path = options.path ?? defaultLockPath;
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return {
        release: async () => {
          const holder = await readFile(path, 'utf8').catch(() => '');
          if (holder === String(process.pid)) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(path, 'utf8').catch(() => ''));
    if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
      // Left by a bench that died (or is being written this instant: then the retry loses the race cleanly).
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `another bench (pid ${holder}) has held ${path} for too long; try again later`,
      );
    }
    if (!told) options.onWait?.(holder);
    told = true;
    await sleep(1000);
  }
}
