// The demo tenant's own web server: a small page that says when it was rendered and how many
// requests reached the origin, so MISS, HIT and purge are visible from curl. It sends what a
// tenant origin behind a CDN sends: Cache-Control for shared caches and a Surrogate-Key to purge by.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

export const demoSurrogateKey = 'demo';

export interface DemoOrigin {
  url: string;
  /** Requests that reached this server (the edge's misses and revalidations). */
  requests(): number;
  close(): Promise<void>;
}

export async function startDemoOrigin(port: number, host = '127.0.0.1'): Promise<DemoOrigin> {
  let count = 0;
  const server: Server = createServer((request, response) => {
    count += 1;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      response.end('only GET and HEAD\n');
      return;
    }
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    if (path === '/favicon.ico') {
      response.writeHead(404, { 'cache-control': 'public, max-age=3600' });
      response.end();
      return;
    }
    const body =
      '<!doctype html><title>edgeplane demo</title>\n' +
      `<p>Hello from the demo origin: ${escapeHtml(path)} rendered at ${new Date().toISOString()}, origin request #${count}.</p>\n`;
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      'surrogate-key': `${demoSurrogateKey} page:${path}`,
      'content-length': Buffer.byteLength(body),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${bound}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
