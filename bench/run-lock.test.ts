import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock } from './run-lock.ts';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-lock-'));
  path = join(dir, 'bench.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('holds the lock with its PID and releases it', async () => {
  const lock = await acquireRunLock({ path, timeoutMs: 1000 });
  expect(await readFile(path, 'utf8')).toBe(String(process.pid));
  await lock.release();
  await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
});

it('waits for a live holder and gives up after its timeout, naming it', async () => {
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
    stdio: 'ignore',
  });
  try {
    await writeFile(path, String(holder.pid));
    const waitedFor: number[] = [];
    await expect(
      acquireRunLock({ path, timeoutMs: 1500, onWait: (pid) => waitedFor.push(pid) }),
    ).rejects.toThrow(`another bench (pid ${holder.pid}) has held ${path} for too long`);
    expect(waitedFor).toEqual([holder.pid]);
  } finally {
    holder.kill();
    await once(holder, 'exit');
  }
});

it('takes over a lock whose holder is gone', async () => {
  const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(gone, 'exit');
  await writeFile(path, String(gone.pid));
  const lock = await acquireRunLock({ path, timeoutMs: 1000 });
  expect(await readFile(path, 'utf8')).toBe(String(process.pid));
  await lock.release();
});
