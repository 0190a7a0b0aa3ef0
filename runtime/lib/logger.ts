// Structured JSON logs (pino). Logging is asynchronous (sonic-boom with a buffer) so a request
// log line never blocks the event loop on a hot path; it is flushed on exit.
import { fstatSync } from 'node:fs';
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  role: string;
  region: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

/**
 * The most bytes one write to a pipe carries. Every thread of the edge writes its own batches to
 * fd 1; on a pipe (a container's stdout) only writes of at most PIPE_BUF (4096 bytes on Linux)
 * are atomic, so larger ones could interleave with another thread's when the pipe is full and
 * break lines apart.
 */
export const pipeWriteBytes = 4096;

/**
 * The most bytes one write to a regular file carries. Linux holds the file's lock for a whole
 * write(), so writes from several threads never interleave whatever their size; fewer, larger
 * writes cost less (4 KiB writes were ~4% of the edge's CPU on 100 KB hits with request logs on).
 */
export const fileWriteBytes = 64 * 1024;

/** The write size that keeps lines whole on `fd`: larger for a regular file, PIPE_BUF otherwise. */
export function writeBytesFor(fd: number): number {
  try {
    return fstatSync(fd).isFile() ? fileWriteBytes : pipeWriteBytes;
  } catch {
    return pipeWriteBytes;
  }
}

export function createLogger(options: LoggerOptions): Logger {
  let destination = options.destination;
  if (destination === undefined) {
    // sonic-boom writes its chunks whole and never merges one past maxWrite.
    const writeBytes = writeBytesFor(1);
    const stdout = pino.destination({
      dest: 1,
      sync: false,
      minLength: writeBytes / 2,
      maxWrite: writeBytes,
    });
    // Buffered for throughput, but never more than a second behind.
    setInterval(() => stdout.flush(), 1000).unref();
    destination = stdout;
  }
  return pino(
    {
      level: options.level,
      base: { role: options.role, region: options.region, pid: process.pid },
      // Credentials never reach a log line, whatever a caller passes.
      redact: {
        paths: ['authorization', 'cookie', '*.authorization', '*.cookie', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** One request's line: its fields in this order. */
export type WriteRequestLine = (
  site: string,
  method: string,
  path: string,
  status: number,
  cache: string,
  bytes: number,
  ms: number,
) => void;

export interface RequestLineWriter extends WriteRequestLine {
  /** Hands the lines still held to the logger's destination (call before exiting). */
  flush(): void;
}

/** Lines are held until the next would pass the batch bound, or `requestLineHoldMs`. */
const requestLineHoldMs = 20;

/** Printable ASCII without `"` and `\`: quoted as it is in JSON. */
const plainJsonText = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonString(text: string): string {
  return plainJsonText.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** JSON forms of the few distinct site ids, methods and cache results, made once each. */
function quotedOnce(): (text: string) => string {
  const quoted = new Map<string, string>();
  return (text) => {
    let json = quoted.get(text);
    if (json === undefined) {
      json = jsonString(text);
      // Unknown methods are forwarded, so their names are the client's: bound what is kept.
      if (quoted.size < 1024) quoted.set(text, json);
    }
    return json;
  };
}

/**
 * Writes one request line per call in pino's JSON shape, straight to the logger's destination.
 * pino's own per-call path (serialisers, redaction, key checks) cost ~11% of a cache hit in a
 * CPU profile of the edge; a request line has fixed, known fields, so it is one template here, and
 * only values with characters JSON must escape go through JSON.stringify.
 */
export function createRequestLineWriter(logger: Logger): RequestLineWriter {
  const stream = (
    logger as unknown as Record<symbol, { write(line: string): void; maxWrite?: unknown }>
  )[pino.symbols.streamSym];
  // stdout's destination says what keeps lines whole there (createLogger); other streams get
  // the pipe bound.
  const batchBytes = typeof stream?.maxWrite === 'number' ? stream.maxWrite : pipeWriteBytes;
  const bound = JSON.stringify({ pid: process.pid, ...logger.bindings() }).slice(1, -1);
  const infoLevel = logger.levels.values.info ?? 30;
  const quoted = quotedOnce();
  // Lines go to the destination in batches of whole lines up to batchBytes (one atomic write
  // on a pipe; a single longer line goes alone): sonic-boom measures its pending buffer on
  // every write, which per line cost ~5% of a worker's time on 1 KB hits. A line waits at most
  // requestLineHoldMs (or until flush()).
  let pending = '';
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || stream === undefined) return;
    const out = pending;
    pending = '';
    pendingBytes = 0;
    stream.write(out);
  };
  const write: WriteRequestLine = (site, method, path, status, cache, bytes, ms) => {
    if (stream === undefined || !logger.isLevelEnabled('info')) return;
    const line = `{"level":${infoLevel},"time":${Date.now()},${bound},"site":${quoted(site)},"method":${quoted(method)},"path":${jsonString(path)},"status":${status},"cache":${quoted(cache)},"bytes":${bytes},"ms":${ms},"msg":"request"}\n`;
    const lineBytes = Buffer.byteLength(line);
    if (pendingBytes + lineBytes > batchBytes) flush();
    pending += line;
    pendingBytes += lineBytes;
    if (timer === undefined) {
      timer = setTimeout(flush, requestLineHoldMs);
      timer.unref();
    }
  };
  return Object.assign(write, { flush });
}
