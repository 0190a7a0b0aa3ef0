// Local mode binds fixed ports: check them all before anything starts, so a port in use is named
// with the variable that moves it, instead of surfacing later as one service's EADDRINUSE.
import { createServer } from 'node:net';
import { type LocalPortName, localPorts } from './config.ts';

/** Resolves when every port can be bound on 127.0.0.1; rejects naming each one that cannot. */
export async function assertPortsFree(ports: Record<LocalPortName, number>): Promise<void> {
  const problems: string[] = [];
  for (const [name, port] of Object.entries(ports) as [LocalPortName, number][]) {
    const error = await tryBind(port);
    if (error === undefined) continue;
    const { env, what } = localPorts[name];
    const why =
      error.code === 'EADDRINUSE'
        ? 'is already in use'
        : error.code === 'EACCES'
          ? 'needs privileges to bind'
          : `cannot be bound (${error.code ?? error.message})`;
    problems.push(
      `port ${port} on 127.0.0.1 (${what}) ${why}: stop what holds it, or choose another, e.g. ${env}=${suggestion(port)} ./run start`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

function suggestion(port: number): number {
  return port + 10_000 <= 65_535 ? port + 10_000 : port - 10_000;
}

function tryBind(port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(undefined)),
    );
  });
}
