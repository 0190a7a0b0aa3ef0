// The zero-copy addon against real sockets on loopback: the test command builds it
// (scripts/build-zero-copy.sh), so here it must load.
import { randomBytes } from 'node:crypto';
import { readlinkSync, readSync, writeSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { socketFd, type ZeroCopy, zeroCopy, zeroCopyState } from './index.ts';

/** A connected pair on loopback: the server's end (which the addon writes to) and the client's. */
async function socketPair(
  options: { pauseOnConnect?: boolean } = {},
): Promise<{ server: Server; near: Socket; far: Socket }> {
  const server = createServer(options);
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const far = connect(address.port, '127.0.0.1');
  await new Promise<void>((resolve) => far.once('connect', resolve));
  return { server, near: await accepted, far };
}

function readAll(socket: Socket, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= length) resolve(Buffer.concat(chunks));
    });
    socket.once('error', reject);
  });
}

function built(): ZeroCopy {
  if (zeroCopy === undefined)
    throw new Error('the zero-copy addon is not built: run scripts/build-zero-copy.sh');
  return zeroCopy;
}

/** Runs `use` with a loopback pair and a file holding `body`, then closes all three. */
async function withPairAndFile(
  body: Buffer,
  use: (addon: ZeroCopy, pair: { near: Socket; far: Socket }, fd: number) => Promise<void>,
  options: { pauseOnConnect?: boolean } = {},
): Promise<void> {
  const addon = built();
  const { server, near, far } = await socketPair(options);
  const fd = addon.bodyFile(body);
  try {
    await use(addon, { near, far }, fd);
  } finally {
    addon.close(fd);
    far.destroy();
    near.destroy();
    server.close();
  }
}

describe('zero-copy addon', () => {
  it('is built and loads on this machine, and the start log says so', () => {
    expect(zeroCopy).toBeDefined();
    expect(zeroCopyState({ zeroCopy: true })).toBe('on');
    expect(zeroCopyState({ zeroCopy: false })).toBe('off');
  });

  it('keeps a body in a sealed file: the bytes read back, and no write gets in', () => {
    const addon = built();
    const body = randomBytes(200_000);
    const fd = addon.bodyFile(body);
    expect(fd).toBeGreaterThan(2);
    try {
      const back = Buffer.alloc(body.length);
      expect(readSync(fd, back, 0, back.length, 0)).toBe(body.length);
      expect(back.equals(body)).toBe(true);
      expect(() => writeSync(fd, Buffer.from('x'), 0, 1, 0)).toThrow(/EPERM/);
    } finally {
      expect(addon.close(fd)).toBe(0);
    }
  });

  it('sends the head, then the file, to a TCP socket', async () => {
    const head = Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 300000\r\n\r\n');
    const body = randomBytes(300_000);
    await withPairAndFile(body, async (addon, { near, far }, fd) => {
      const arriving = readAll(far, head.length + body.length);
      const socket = socketFd(near);
      expect(socket).toBeDefined();
      expect(addon.send(socket as number, head, fd, body.length)).toBe(head.length + body.length);
      expect((await arriving).equals(Buffer.concat([head, body]))).toBe(true);
    });
  });

  it('stops where a peer that does not read fills the socket, without blocking', async () => {
    const head = Buffer.from('HTTP/1.1 200 OK\r\n\r\n');
    const body = Buffer.alloc(64 * 1024 * 1024, 7);
    await withPairAndFile(body, async (addon, { near, far }, fd) => {
      far.pause();
      const sent = addon.send(socketFd(near) as number, head, fd, body.length);
      expect(sent).toBeGreaterThan(head.length);
      expect(sent).toBeLessThan(head.length + body.length);
    });
  });

  it('answers -errno on a socket its peer reset, and throws on arguments of the wrong kind', async () => {
    const body = Buffer.alloc(100_000, 1);
    // Node does not read the server's end, so only the addon meets the reset.
    const options = { pauseOnConnect: true };
    await withPairAndFile(
      body,
      async (addon, { near, far }, fd) => {
        near.on('error', () => {});
        far.resetAndDestroy();
        await new Promise((resolve) => setTimeout(resolve, 50));
        const socket = socketFd(near) as number;
        expect(addon.send(socket, Buffer.from('x'), fd, body.length)).toBeLessThan(0);
        expect(() => addon.send(socket, 'x' as unknown as Buffer, fd, body.length)).toThrow(
          'send(socketFd, head, fileFd, length)',
        );
        expect(() => addon.bodyFile('x' as unknown as Buffer)).toThrow('body must be a Buffer');
      },
      options,
    );
  });

  it('closes only files it made, and those of a worker thread when the thread ends', async () => {
    const addon = built();
    expect(addon.close(0)).toBeLessThan(0);
    // A worker thread makes three files and dies without closing them.
    const script = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.module).then(({ zeroCopy }) => {
        const fds = [1, 2, 3].map(() => zeroCopy.bodyFile(Buffer.alloc(100000, 9)));
        parentPort.postMessage(fds);
        parentPort.once('message', () => { throw new Error('the worker dies'); });
      });
    `;
    const module = `file://${join(__dirname, 'index.ts')}`;
    const worker = new Worker(script, { eval: true, workerData: { module } });
    const fds = await new Promise<number[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const isBodyFile = (fd: number) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith('/memfd:edgeplane-body');
      } catch {
        return false;
      }
    };
    expect(fds.filter(isBodyFile)).toHaveLength(3);
    // Told to die only now, so its death cannot overtake its message.
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('error', () => {});
    worker.postMessage('die');
    await exited;
    expect(fds.filter(isBodyFile)).toEqual([]);
  });
});
