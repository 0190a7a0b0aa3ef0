// Property: for random well-formed responses (field lists, framings, chunk extensions,
// trailers) written in random pieces, the raw client reads the same status, fields and body as
// Node's own HTTP client (llhttp) does from the same server.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { UpstreamBody } from '../upstream-types.ts';
import type { RawOriginClient } from './client.ts';
import { type RawOrigin, startRawOrigin, testClient, writeApart } from './testing.ts';

const tokenCharacters =
  "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const valueCharacters = ` !"#%&()*+,-./09:;<=>?@AZ[\\]^_\`az{|}~\xa0\xe9\xff`;
const framingNames = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
]);

const name = fc
  .string({ unit: fc.constantFrom(...tokenCharacters), minLength: 1, maxLength: 12 })
  .filter((value) => !framingNames.has(value.toLowerCase()));
const value = fc
  .string({ unit: fc.constantFrom(...valueCharacters), maxLength: 24 })
  .map((text) => text.trim());
const whitespace = fc.constantFrom('', ' ', '\t', ' \t ');
const field = fc.record({ name, value, before: whitespace, after: whitespace });

const response = fc.record({
  status: fc.constantFrom(200, 201, 203, 299, 404, 418, 500, 503),
  reason: fc.constantFrom('OK', '', 'Some Reason', 'x\ty'),
  fields: fc.array(field, { maxLength: 12 }),
  body: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
  chunked: fc.boolean(),
  chunkCuts: fc.array(fc.integer({ min: 1, max: 399 }), { maxLength: 5 }),
  extension: fc.constantFrom('', ';a', ';a=b', ';a="q s";c'),
  trailers: fc.array(fc.record({ name, value }), { maxLength: 2 }),
  splits: fc.array(fc.integer({ min: 1, max: 2000 }), { maxLength: 6 }),
});
type Generated = typeof response extends fc.Arbitrary<infer T> ? T : never;

function serialise(generated: Generated): Buffer {
  let head = `HTTP/1.1 ${generated.status}${generated.reason === '' ? '' : ` ${generated.reason}`}\r\n`;
  for (const f of generated.fields) head += `${f.name}:${f.before}${f.value}${f.after}\r\n`;
  const { body } = generated;
  if (!generated.chunked) {
    head += `content-length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  }
  head += 'transfer-encoding: chunked\r\n\r\n';
  const parts: Buffer[] = [Buffer.from(head, 'latin1')];
  const cuts = [...new Set(generated.chunkCuts.filter((cut) => cut < body.length))].sort(
    (a, b) => a - b,
  );
  let at = 0;
  for (const end of [...cuts, body.length]) {
    if (end <= at) continue;
    parts.push(Buffer.from(`${(end - at).toString(16)}${generated.extension}\r\n`, 'latin1'));
    parts.push(body.subarray(at, end), Buffer.from('\r\n'));
    at = end;
  }
  let tail = '0\r\n';
  for (const t of generated.trailers) tail += `${t.name}: ${t.value}\r\n`;
  parts.push(Buffer.from(`${tail}\r\n`, 'latin1'));
  return Buffer.concat(parts);
}

function pieces(bytes: Buffer, splits: readonly number[]): Buffer[] {
  const points = [...new Set(splits.filter((split) => split < bytes.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.subarray(at, point));
    at = point;
  }
  return out;
}

interface Reading {
  status: number;
  fields: Record<string, string | string[]>;
  body: string;
}

async function readAll(body: UpstreamBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function readWithNode(port: number): Promise<Reading> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        // Node's rawHeaders, each name lower-cased, repeated names gathered in order.
        const raw = res.rawHeaders;
        const grouped = new Map<string, string[]>();
        for (let i = 0; i < raw.length; i += 2) {
          const key = (raw[i] as string).toLowerCase();
          grouped.set(key, [...(grouped.get(key) ?? []), raw[i + 1] as string]);
        }
        const fields = Object.fromEntries(
          [...grouped].map(([key, values]) => [key, values.length === 1 ? values[0] : values]),
        ) as Record<string, string | string[]>;
        resolve({
          status: res.statusCode ?? 0,
          fields,
          body: Buffer.concat(chunks).toString('hex'),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let origin: RawOrigin;
let client: RawOriginClient;
let current: Buffer[] = [];

beforeAll(async () => {
  origin = await startRawOrigin(({ socket }) => writeApart(socket, current));
  client = testClient();
});

afterAll(async () => {
  await client.close();
  await origin.close();
});

it('reads what Node’s own HTTP client reads, wherever the response is split', async () => {
  await fc.assert(
    fc.asyncProperty(response, async (generated) => {
      current = pieces(serialise(generated), generated.splits);
      const node = await readWithNode(origin.port);
      const raw = await client.request({
        origin: origin.origin,
        path: '/',
        method: 'GET',
        headers: ['host', 'parity.test'],
      });
      const ours: Reading = {
        status: raw.status,
        fields: raw.headers,
        body: (await readAll(raw.body)).toString('hex'),
      };
      expect(ours).toEqual(node);
    }),
    { numRuns: 120 },
  );
});
