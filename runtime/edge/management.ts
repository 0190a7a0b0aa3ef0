// The management port: probes, Prometheus metrics and the authenticated purge endpoint.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { managementPaths } from '../contract.ts';
import type { Logger } from '../lib/logger.ts';
import { type PurgeRequest, purgeRequestSchema } from './purge.ts';

export const purgePath = '/purge';
const maxPurgeBodyBytes = 1024 * 1024;

export interface ManagementHandlers {
  ready(): boolean;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Applies a purge everywhere (every worker and tier); resolves with the objects it touched. */
  purge(purge: PurgeRequest): Promise<number>;
  /** Bearer token for purges; purging is refused when absent. */
  purgeToken: string | undefined;
  logger: Logger;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxPurgeBodyBytes) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function createManagementServer(handlers: ManagementHandlers): Server {
  const tokenHash = handlers.purgeToken === undefined ? undefined : sha256(handlers.purgeToken);

  const authorised = (req: IncomingMessage): boolean => {
    if (tokenHash === undefined) return false;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    // Hashing both sides gives equal lengths, so the comparison takes constant time.
    return match?.[1] !== undefined && timingSafeEqual(sha256(match[1].trim()), tokenHash);
  };

  const purge = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return send(res, 405, 'purge takes POST with a JSON body\n');
    }
    if (tokenHash === undefined) {
      return send(res, 403, 'purging is disabled on this edge: set EDGEPLANE_PURGE_TOKEN\n');
    }
    if (!authorised(req)) {
      res.setHeader('www-authenticate', 'Bearer realm="edgeplane purge"');
      return send(res, 401, 'purge needs Authorization: Bearer <EDGEPLANE_PURGE_TOKEN>\n');
    }
    const text = await readBody(req);
    if (text === undefined) return send(res, 413, 'purge body is larger than 1 MiB\n');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return send(
        res,
        400,
        'purge body must be JSON, e.g. {"site":"shop","kind":"key","values":["product-42"],"mode":"soft"}\n',
      );
    }
    const parsed = purgeRequestSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
      );
      return send(
        res,
        400,
        `${JSON.stringify({ error: 'invalid purge', problems })}\n`,
        'application/json',
      );
    }
    const purged = await handlers.purge(parsed.data);
    handlers.logger.info({ purge: parsed.data, purged }, 'purge applied');
    send(res, 200, `${JSON.stringify({ purged })}\n`, 'application/json');
  };

  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const work = async () => {
      switch (path) {
        case managementPaths.liveness:
          return send(res, 200, 'ok\n');
        case managementPaths.readiness:
          return handlers.ready() ? send(res, 200, 'ready\n') : send(res, 503, 'not ready\n');
        case managementPaths.metrics: {
          const { contentType, body } = await handlers.metrics();
          return send(res, 200, body, contentType);
        }
        case purgePath:
          return purge(req, res);
        default:
          return send(res, 404, `no such management path: ${path}\n`);
      }
    };
    work().catch((error: unknown) => {
      handlers.logger.error({ err: error, path }, 'management request failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
}
