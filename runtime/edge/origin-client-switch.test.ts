// EDGEPLANE_ORIGIN_CLIENT: which client carries a miss to a plain-http origin, seen from the
// origin. undici adds `connection: keep-alive` to every request head; the raw client sends the
// edge's fields only (HTTP/1.1 is persistent by default).
import { request } from 'node:http';
import { startTestTrafficEdge, type TestTrafficEdge } from './fast-hit/testing.ts';
import { type RawOrigin, startRawOrigin } from './origin-client/testing.ts';

let origin: RawOrigin;
let edge: TestTrafficEdge | undefined;

beforeAll(async () => {
  origin = await startRawOrigin(({ socket }) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 4\r\n\r\nmiss');
  });
});

afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

afterAll(() => origin.close());

const sites = () => [{ id: 'switch', hosts: ['switch.test'], origin: origin.origin }];

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path, headers: { host: 'switch.test' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

async function originHeadFor(env: Record<string, string>, path: string): Promise<string> {
  edge = await startTestTrafficEdge(sites(), env);
  expect(await get(edge.port, path)).toEqual({ status: 200, body: 'miss' });
  const seen = origin.requests.find((r) => r.head.startsWith(`GET ${path} `));
  expect(seen).toBeDefined();
  return (seen?.head ?? '').toLowerCase();
}

describe('EDGEPLANE_ORIGIN_CLIENT', () => {
  it('is raw by default', async () => {
    expect(await originHeadFor({}, '/default')).not.toContain('\r\nconnection:');
  });

  it('raw: the origin-client/ request head', async () => {
    const head = await originHeadFor({ EDGEPLANE_ORIGIN_CLIENT: 'raw' }, '/raw');
    expect(head).not.toContain('\r\nconnection:');
    expect(head).toContain('\r\nhost: 127.0.0.1:');
  });

  it('undici: the request goes through undici', async () => {
    expect(await originHeadFor({ EDGEPLANE_ORIGIN_CLIENT: 'undici' }, '/undici')).toContain(
      '\r\nconnection: keep-alive',
    );
  });
});
