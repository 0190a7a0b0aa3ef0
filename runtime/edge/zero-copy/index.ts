// The zero-copy addon (send-file.c), when it was built for this machine; undefined otherwise, and
// the edge writes every hit with socket.write. Written here rather than taken from npm: no package
// sends a file into a socket Node already manages (Node itself has no sendfile for sockets).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ZeroCopy {
  /** A new sealed memfd holding `body`, or -errno. */
  bodyFile(body: Buffer): number;
  /**
   * Writes `head` and then the first `length` bytes of `fileFd` to `socketFd` without blocking,
   * as far as the socket takes them: the bytes sent (the head's first), or -errno when the socket
   * failed before any byte went.
   */
  send(socketFd: number, head: Buffer, fileFd: number, length: number): number;
  /** Closes a file bodyFile made: 0 or -errno. */
  close(fd: number): number;
}

/** Where the addon is: beside the sources once built, beside the bundle in the image. */
const candidates = ['./build/send-file.node', './send-file.node'].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

export const zeroCopy: ZeroCopy | undefined = load();

function load(): ZeroCopy | undefined {
  if (process.platform !== 'linux') return undefined;
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path === undefined) return undefined;
  const loadAddon = createRequire(import.meta.url);
  return loadAddon(path) as ZeroCopy;
}

/** What the start log says of zero-copy sends: on, off (the setting), or why they are not on. */
export function zeroCopyState(config: { zeroCopy: boolean }): string {
  if (!config.zeroCopy) return 'off';
  if (zeroCopy !== undefined) return 'on';
  return process.platform === 'linux'
    ? 'not built (scripts/build-zero-copy.sh needs a C compiler): large hits are written'
    : 'not on this platform: large hits are written';
}

/**
 * The file descriptor of a plain TCP socket, for the addon to write to; undefined for anything
 * else (TLS, pipes). `_handle.fd` is Node's own (net.Socket's TCP handle), not a public API.
 */
export function socketFd(socket: Socket): number | undefined {
  if ('encrypted' in socket) return undefined;
  const handle = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
