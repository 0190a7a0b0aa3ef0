// How log lines reach stdout: in writes of whole lines that stay atomic on a pipe.
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, createRequestLineWriter, stdoutWriteBytes } from './logger.ts';

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
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
      expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(stdoutWriteBytes);
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
    const long = `/${'a'.repeat(stdoutWriteBytes)}`;
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

  it('gives stdout a destination that never merges writes past that size', () => {
    const logger = createLogger({ level: 'info', role: 'edge', region: 'test' });
    const stdout = (logger as unknown as Record<symbol, { maxWrite: number; minLength: number }>)[
      pino.symbols.streamSym
    ];
    expect(stdout?.maxWrite).toBe(stdoutWriteBytes);
    expect(stdout?.minLength).toBeLessThan(stdoutWriteBytes);
  });
});
