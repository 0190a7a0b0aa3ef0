// Loopback helpers: a port chosen by the OS, and waiting until a server answers.
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export const loopback = '127.0.0.1';

/** A port the OS hands out for listen(0); free when returned (servers that are not ours could take it, rarely). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, loopback, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string')
    throw new Error('no TCP address from listen(0)');
  return address.port;
}

export interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function fetchOnce(
  url: string,
  headers: Record<string, string> = {},
): Promise<Fetched> {
  const response = await request(url, { headers, headersTimeout: 5000, bodyTimeout: 5000 });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, body };
}

/**
 * Polls url until it answers with an expected status, or fails after timeoutMs;
 * isAlive lets it fail at once when the server's process has already exited.
 */
export async function waitForHttp(
  url: string,
  options: {
    timeoutMs: number;
    headers?: Record<string, string>;
    isAlive?: () => boolean;
    okStatus?: (status: number) => boolean;
  },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const ok = options.okStatus ?? ((status: number) => status >= 200 && status < 300);
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (options.isAlive && !options.isAlive())
      throw new Error(`${url}: the server exited (${last})`);
    try {
      const response = await fetchOnce(url, options.headers);
      if (ok(response.status)) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${options.timeoutMs} ms (${last})`);
}
