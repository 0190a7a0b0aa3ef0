// Requests to tenant origins: plain-http origins through the raw HTTP/1.1 client of
// origin-client/ (unless EDGEPLANE_ORIGIN_CLIENT=undici), https: origins through undici. Both
// pool keep-alive connections per origin with connect / first-byte / idle timeouts, and hand
// over the same UpstreamResponse (upstream-types.ts).
//
// The raw client exists for CPU: on a minimal proxy on loopback, undici's dispatch() cost
// ~70-80 µs per miss more than a raw `net` client (README, Performance / Misses).
//
// For undici, it uses dispatch() with its own small handler rather than request(): request() wraps
// every response body in a Readable stream inside an AsyncResource, and reading that stream with
// `for await` costs a stream, an async iterator and several promises per response. On the miss
// path that was ~110 µs of CPU per request (a minimal proxy on loopback: 290 µs per miss with
// request(), 180 µs with dispatch()). UpstreamBody hands the chunks over as they come, with
// backpressure (pause/resume of the origin connection) past a high-water mark.
import { Agent, type Dispatcher } from 'undici';
import { RawOriginClient } from './origin-client/index.ts';
import {
  classifyUpstreamError,
  UpstreamBody,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-types.ts';

export {
  type BodyController,
  classifyUpstreamError,
  highWaterMark,
  UpstreamBody,
  UpstreamError,
  type UpstreamFailure,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-types.ts';

/** Which client talks to plain-http origins (https: ones always go through undici). */
export type OriginClientKind = 'raw' | 'undici';

export interface UpstreamOptions {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /** Keep-alive connections per origin. */
  connectionsPerOrigin: number;
  /** Default 'raw'. */
  originClient?: OriginClientKind;
}

export class Upstream {
  private readonly agent: Agent;
  private readonly raw: RawOriginClient | undefined;

  constructor(options: UpstreamOptions) {
    this.raw =
      (options.originClient ?? 'raw') === 'raw'
        ? new RawOriginClient({
            connectTimeoutMs: options.connectTimeoutMs,
            firstByteTimeoutMs: options.firstByteTimeoutMs,
            idleTimeoutMs: options.idleTimeoutMs,
            connectionsPerOrigin: options.connectionsPerOrigin,
            keepAliveMs: 30_000,
          })
        : undefined;
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.firstByteTimeoutMs,
      bodyTimeout: options.idleTimeoutMs,
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  request(request: UpstreamRequest): Promise<UpstreamResponse> {
    if (this.raw !== undefined && request.origin.startsWith('http:'))
      return this.raw.request(request);
    return new Promise((resolve, reject) => {
      let body: UpstreamBody | undefined;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart() {},
        onResponseStart(controller, statusCode, headers) {
          const fields = headers as Record<string, string | string[]>;
          if (statusCode < 200) {
            request.onInterim?.(statusCode, fields);
            return;
          }
          body = new UpstreamBody(controller);
          resolve({ status: statusCode, headers: fields, body });
        },
        onResponseData(_controller, chunk) {
          body?.push(chunk);
        },
        onResponseEnd() {
          body?.end();
        },
        onResponseError(_controller, error) {
          if (body === undefined) reject(classifyUpstreamError(error));
          else body.fail(error);
        },
      };
      try {
        this.agent.dispatch(
          {
            origin: request.origin,
            path: request.path,
            method: request.method as Dispatcher.HttpMethod,
            headers: request.headers,
            body: request.body ?? null,
          },
          handler,
        );
      } catch (error) {
        reject(classifyUpstreamError(error));
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.raw?.close()]);
  }
}
