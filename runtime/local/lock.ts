// One local mode per data folder: a pid file, taken over when the process it names is gone.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FolderLock {
  release(): Promise<void>;
}

export async function lockFolder(dir: string): Promise<FolderLock> {
  const file = join(dir, 'local-mode.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return {
        async release() {
          const holder = await readFile(file, 'utf8').catch(() => '');
          if (holder.trim() === String(process.pid)) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && (await isLocalMode(pid))) {
        throw new Error(
          `local mode is already running from ${dir} (pid ${pid}): use it, stop it (kill -INT ${pid}), or give this one another folder with EDGEPLANE_LOCAL_DIR`,
        );
      }
      // Left by a run that was killed: take it over.
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not take ${file}`);
}

/** Alive and, where /proc tells, running local mode (not another process that got the pid). */
async function isLocalMode(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return commandLine === undefined || commandLine.includes('local');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
