// Preloaded (`node --import`) into the conformance suite's origin server, whose code calls
// `server.listen(port)` and so would bind every interface: a listen without a host gets 127.0.0.1.
import { Server } from 'node:net';

const listen = Server.prototype.listen;

function hasHost(args: unknown[]): boolean {
  const [first, second] = args;
  if (typeof first === 'object' && first !== null) return 'host' in first || 'path' in first;
  return typeof second === 'string';
}

Server.prototype.listen = function listenOnLoopback(this: Server, ...args: unknown[]) {
  const port = args[0];
  if (typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port))) {
    if (!hasHost(args)) args.splice(1, 0, '127.0.0.1');
  }
  // The original is overloaded; the argument list is forwarded unchanged apart from the host.
  return (listen as (...a: unknown[]) => Server).apply(this, args);
} as typeof Server.prototype.listen;
