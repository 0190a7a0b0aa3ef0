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
