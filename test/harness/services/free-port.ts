import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Ports come from below Linux's ephemeral range, in a block of this jest worker's own. A port the
// OS picks for listen(0) comes from the ephemeral range, where every outgoing connection takes its
// source port too. Most likely one did, between the pick and the child's bind in a parallel run,
// and an edge process failed its start with EADDRINUSE. Below the range no connection takes a
// port, the block keeps jest workers apart, and `handedOut` keeps this process's concurrent
// callers apart.
const blockSize = 500;
const lowestPort = 10_000;
/** The lowest port of Linux's ephemeral range, read once. */
const ephemeralLow = readEphemeralLow();
const handedOut = new Set<number>();
/**
 * Ports at or above lowestPort that fetch() refuses to connect to (the Fetch standard's "bad
 * ports"): a test probing a server on one with fetch would wait for it in vain.
 */
export const fetchRefusedPorts: ReadonlySet<number> = new Set([10_080]);

/** A loopback port that was free a moment ago and that nothing else hands out; the caller binds it next. */
export async function freePort(): Promise<number> {
  const [first, last] = blockOfThisWorker();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = first + Math.floor(Math.random() * (last - first + 1));
    if (handedOut.has(port) || fetchRefusedPorts.has(port)) continue;
    // Reserved before the check, so a concurrent caller cannot check (and take) the same port.
    handedOut.add(port);
    if (await canListen(port)) return port;
    handedOut.delete(port);
  }
  // A block this full means something else uses these ports: let the OS pick, as before.
  return osPickedPort();
}

/** This jest worker's block of ports, below the ephemeral range (one block outside jest). */
export function blockOfThisWorker(): [number, number] {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const blocks = Math.max(1, Math.floor((ephemeralLow - lowestPort) / blockSize));
  const first = lowestPort + ((Math.max(1, worker) - 1) % blocks) * blockSize;
  return [first, first + blockSize - 1];
}

function readEphemeralLow(): number {
  try {
    const low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
    return Number.isInteger(low) && low > lowestPort + blockSize ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function osPickedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
