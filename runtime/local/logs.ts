// Where local mode's services write: one file per service under <dir>/logs (of the current run),
// and with --verbose every line on the terminal too, prefixed with the service's name.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServiceLog {
  readonly file: string;
  write(chunk: Buffer | string): void;
  /** The last lines written (at most 40), for an error message. */
  tail(): string;
  close(): Promise<void>;
}

export async function openServiceLog(
  dir: string,
  name: string,
  echo: NodeJS.WritableStream | undefined,
): Promise<ServiceLog> {
  const folder = join(dir, 'logs');
  await mkdir(folder, { recursive: true });
  const file = join(folder, `${name}.log`);
  const stream: WriteStream = createWriteStream(file, { flags: 'w', mode: 0o600 });
  const prefix = `${name.padEnd(8)}| `;
  let partial = '';
  const recent: string[] = [];
  return {
    file,
    write(chunk) {
      stream.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        echo?.write(`${prefix}${line}\n`);
        recent.push(line);
      }
      if (recent.length > 40) recent.splice(0, recent.length - 40);
    },
    tail() {
      return [...recent, ...(partial ? [partial] : [])].join('\n');
    },
    close() {
      if (echo && partial !== '') echo.write(`${prefix}${partial}\n`);
      return new Promise<void>((resolve) => stream.end(resolve));
    },
  };
}
