// Structured JSON logs (pino). Logging is asynchronous (sonic-boom with a buffer) so a request
// log line never blocks the event loop on a hot path; it is flushed on exit.
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  role: string;
  region: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  let destination = options.destination;
  if (destination === undefined) {
    const stdout = pino.destination({ dest: 1, sync: false, minLength: 4096 });
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

/**
 * Writes one request line per call in pino's JSON shape, straight to the logger's destination.
 * pino's own per-call path (serialisers, redaction, key checks) cost ~11% of a cache hit in a
 * CPU profile of the edge; a request line has fixed, known fields, so it is assembled here and
 * only its free-text values go through JSON.stringify.
 */
export interface RequestLineWriter {
  (fields: Record<string, string | number>): void;
  /** Hands the lines still held to the logger's destination (call before exiting). */
  flush(): void;
}

/** Lines are held until this many characters, or `requestLineHoldMs`, whichever comes first. */
const requestLineBatchChars = 8192;
const requestLineHoldMs = 20;

export function createRequestLineWriter(logger: Logger): RequestLineWriter {
  const stream = (logger as unknown as Record<symbol, { write(line: string): void }>)[
    pino.symbols.streamSym
  ];
  const bound = JSON.stringify({ pid: process.pid, ...logger.bindings() }).slice(1, -1);
  const infoLevel = logger.levels.values.info ?? 30;
  // Lines go to the destination in batches of ~8 KiB: sonic-boom measures its pending buffer
  // (Buffer.byteLength of up to 16 KiB) on every write, which per line cost ~5% of a worker's
  // time on 1 KB hits. A line waits at most requestLineHoldMs (or until flush()).
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0 || stream === undefined) return;
    const out = pending;
    pending = '';
    stream.write(out);
  };
  const write = (fields: Record<string, string | number>) => {
    if (stream === undefined || !logger.isLevelEnabled('info')) return;
    let line = `{"level":${infoLevel},"time":${Date.now()},${bound}`;
    for (const key in fields) {
      const value = fields[key];
      line +=
        typeof value === 'number' ? `,"${key}":${value}` : `,"${key}":${JSON.stringify(value)}`;
    }
    pending += `${line},"msg":"request"}\n`;
    if (pending.length >= requestLineBatchChars) flush();
    else if (timer === undefined) {
      timer = setTimeout(flush, requestLineHoldMs);
      timer.unref();
    }
  };
  return Object.assign(write, { flush });
}
