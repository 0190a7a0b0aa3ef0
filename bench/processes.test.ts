import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive as alive } from '../runtime/local/lock.ts';
import { ProcessGroup, waitForExit } from './processes.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-processes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('stops a server and the workers it started, by its process group', async () => {
  const processes = new ProcessGroup();
  // A "server" that starts a worker of its own and prints the worker's PID.
  const script = `
    const { spawn } = require('node:child_process');
    process.on('SIGTERM', () => {}); // ignores SIGTERM: only SIGKILL after the grace period stops it
    const worker = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    console.log(worker.pid);
    setInterval(() => {}, 1000);
  `;
  const log = join(dir, 'server.log');
  const server = processes.startServer('server', process.execPath, ['-e', script], log);
  let workerPid = 0;
  for (let tries = 0; tries < 100 && workerPid === 0; tries++) {
    await sleep(50);
    workerPid = Number((await readFile(log, 'utf8')).trim()) || 0;
  }
  expect(alive(server.pid)).toBe(true);
  expect(alive(workerPid)).toBe(true);

  await processes.stop(server, 300);
  expect(server.child.signalCode).toBe('SIGKILL');
  await sleep(100);
  expect(alive(workerPid)).toBe(false);
});

it('stopAll stops everything still running', async () => {
  const processes = new ProcessGroup();
  const servers = [1, 2].map((index) =>
    processes.startServer(
      `s${index}`,
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)'],
      join(dir, `s${index}.log`),
    ),
  );
  await processes.stopAll();
  expect(servers.map((server) => server.child.signalCode)).toEqual(['SIGTERM', 'SIGTERM']);
});

it('waitForExit kills a command that runs past its time', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await expect(waitForExit(child, 200)).rejects.toThrow(/ran past 200 ms and was killed/);
  await sleep(50);
  expect(child.signalCode).toBe('SIGKILL');
});

it('reports a command that cannot start, without crashing the bench', async () => {
  const processes = new ProcessGroup();
  expect(() =>
    processes.startServer('missing', join(dir, 'no-such-binary'), [], join(dir, 'missing.log')),
  ).toThrow(`could not start missing: ${join(dir, 'no-such-binary')}`);
  await sleep(50); // the child's 'error' event comes on a later tick, and has a listener
});
