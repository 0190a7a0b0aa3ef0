// A tenant's origin on loopback: every path is cacheable for five minutes, tagged with the
// surrogate keys `all` and the path's first segment, and its body says how often it was fetched.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TenantOrigin {
  url: string;
  /** Fetches per path. */
  fetches: Map<string, number>;
  close(): Promise<void>;
}

export async function startTenantOrigin(): Promise<TenantOrigin> {
  const fetches = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const count = (fetches.get(path) ?? 0) + 1;
    fetches.set(path, count);
    const segment = path.split('/')[1]?.split('?')[0] || 'root';
    const body = `${path} fetch ${count}\n`;
    res.writeHead(200, {
      'content-type': 'text/plain',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'public, max-age=300',
      'surrogate-key': `all ${segment}`,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
