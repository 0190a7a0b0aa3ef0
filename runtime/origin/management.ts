// The origin's management port: /livez, /readyz (Postgres reachable, migrations applied) and
// /metrics. The edge's management server (runtime/edge/management.ts) also carries the edge's
// purge endpoint, so the origin has this smaller one with the same paths and answers.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { managementPaths } from '../contract.ts';
import type { Logger } from '../lib/logger.ts';

export interface OriginManagementHandlers {
  /** Resolves with undefined when ready, or the reason it is not. */
  readiness(): Promise<string | undefined>;
  metrics(): Promise<{ contentType: string; body: string }>;
  logger: Logger;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export function createOriginManagementServer(handlers: OriginManagementHandlers): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const work = async () => {
      switch (path) {
        case managementPaths.liveness:
          return send(res, 200, 'ok\n');
        case managementPaths.readiness: {
          const reason = await handlers.readiness();
          return reason === undefined
            ? send(res, 200, 'ready\n')
            : send(res, 503, `not ready: ${reason}\n`);
        }
        case managementPaths.metrics: {
          const { contentType, body } = await handlers.metrics();
          return send(res, 200, body, contentType);
        }
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
