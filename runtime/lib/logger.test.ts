// How log lines reach stdout: in writes of whole lines that stay atomic on a pipe, and larger
// ones on a regular file.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  createLogger,
  createRequestLineWriter,
  fileWriteBytes,
  pipeWriteBytes,
  writeBytesFor,
} from './logger.ts';

function capture(maxWrite?: number) {
  const chunks: string[] = [];
  const destination = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    }),
    maxWrite === undefined ? {} : { maxWrite },
  );
  const logger = createLogger({ level: 'info', role: 'edge', region: 'test', destination });
  return { chunks, logger };
}

describe('request line batches', () => {
  it('hands over whole lines, at most one pipe-atomic write each, in order', () => {
    const { chunks, logger } = capture();
    const write = createRequestLineWriter(logger);
    const paths = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? `/caf\u00e9/${i}/${'\u00e9'.repeat(i % 50)}` : `/plain/${i}`,
    );
    for (const path of paths) write('site', 'GET', path, 200, 'hit', 1024, 0.4);
    write.flush();
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(pipeWriteBytes);
      expect(chunk.endsWith('\n')).toBe(true);
    }
    const logged = chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { path: string }).path);
    expect(logged).toEqual(paths);
  });

  it('writes a line longer than one atomic write alone', () => {
    const { chunks, logger } = capture();
    const write = createRequestLineWriter(logger);
    const long = `/${'a'.repeat(pipeWriteBytes)}`;
    write('site', 'GET', '/before', 200, 'hit', 1, 0.1);
    write('site', 'GET', long, 200, 'hit', 1, 0.1);
    write('site', 'GET', '/after', 200, 'hit', 1, 0.1);
    write.flush();
    const paths = chunks.map((chunk) =>
      chunk
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { path: string }).path),
    );
    expect(paths).toEqual([['/before'], [long], ['/after']]);
  });

  it('batches up to the write size the destination states', () => {
    const { chunks, logger } = capture(fileWriteBytes);
    const write = createRequestLineWriter(logger);
    const paths = Array.from({ length: 2000 }, (_, i) => `/plain/${i}`);
    for (const path of paths) write('site', 'GET', path, 200, 'hit', 1024, 0.4);
    write.flush();
    const sizes = chunks.map((chunk) => Buffer.byteLength(chunk));
    expect(Math.max(...sizes)).toBeGreaterThan(pipeWriteBytes);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(fileWriteBytes);
    const logged = chunks.join('').split('\n').filter(Boolean);
    expect(logged.map((line) => (JSON.parse(line) as { path: string }).path)).toEqual(paths);
  });
});

describe('stdout write size', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgeplane-logger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is PIPE_BUF on a pipe and larger on a regular file', () => {
    const file = openSync(join(dir, 'out.log'), 'w');
    expect(writeBytesFor(file)).toBe(fileWriteBytes);
    closeSync(file);
    const fifoPath = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifoPath]).status).toBe(0);
    // Opened for reading and writing, a FIFO does not wait for a peer.
    const fifo = openSync(fifoPath, 'r+');
    expect(writeBytesFor(fifo)).toBe(pipeWriteBytes);
    closeSync(fifo);
  });

  // A process of its own, so that its fd 1 is the file or the pipe under test.
  const destinationOfStdout = (stdout: number | 'pipe') => {
    const script = `
      import pino from 'pino';
      import { createLogger } from ${JSON.stringify(join(import.meta.dirname, 'logger.ts'))};
      const logger = createLogger({ level: 'info', role: 'edge', region: 'test' });
      const { maxWrite, minLength } = logger[pino.symbols.streamSym];
      process.stderr.write(JSON.stringify({ maxWrite, minLength }));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
      stdio: ['ignore', stdout, 'pipe'],
      encoding: 'utf8',
    });
    expect(child.status).toBe(0);
    return JSON.parse(child.stderr) as { maxWrite: number; minLength: number };
  };

  it('gives stdout a destination that never merges writes past that size', () => {
    const onPipe = destinationOfStdout('pipe');
    expect(onPipe.maxWrite).toBe(pipeWriteBytes);
    expect(onPipe.minLength).toBeLessThan(pipeWriteBytes);
    const file = openSync(join(dir, 'stdout.log'), 'w');
    const onFile = destinationOfStdout(file);
    closeSync(file);
    expect(onFile.maxWrite).toBe(fileWriteBytes);
    expect(onFile.minLength).toBeLessThan(fileWriteBytes);
    expect(readFileSync(join(dir, 'stdout.log'), 'utf8')).toBe('');
  });
});
