// Test origins for the raw client: a `net` server on 127.0.0.1:0 that reads bodiless requests
// and answers each with exactly the bytes a test gives (split into writes as the test says), and
// counts connections, so tests can see reuse, closes and retries.
import { createServer, type Server, type Socket } from 'node:net';
import { RawOriginClient, type RawOriginClientOptions } from './client.ts';

export interface RawRequest {
  /** The request head as received, without the blank line. */
  head: string;
  /** Which connection (1, 2, ...) carried it. */
  connection: number;
  socket: Socket;
}

export interface RawOrigin {
  origin: string;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  readonly requests: RawRequest[];
  close(): Promise<void>;
}

/** Answers each request by calling `respond`, which writes to the socket as it likes. */
export async function startRawOrigin(
  respond: (request: RawRequest) => void | Promise<void>,
): Promise<RawOrigin> {
  let connections = 0;
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const request = { head: pending.slice(0, end), connection, socket };
        pending = pending.slice(end + 4);
        requests.push(request);
        void respond(request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `parts` one after another, each in its own turn so the client reads them apart. */
export async function writeApart(socket: Socket, parts: readonly (string | Buffer)[]) {
  for (const part of parts) {
    if (socket.destroyed) return;
    socket.write(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Every byte of `text` as its own part. */
export function byteByByte(text: string): string[] {
  return [...text];
}

export function testClient(options: Partial<RawOriginClientOptions> = {}): RawOriginClient {
  return new RawOriginClient({
    connectTimeoutMs: 2000,
    firstByteTimeoutMs: 5000,
    idleTimeoutMs: 5000,
    connectionsPerOrigin: 4,
    ...options,
  });
}
