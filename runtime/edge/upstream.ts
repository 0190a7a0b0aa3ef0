// Requests to tenant origins through undici: one Agent, pooled keep-alive connections per
// origin, connect / first-byte / idle timeouts. The edge sends origin responses on as flat
// header arrays.
import type { Readable } from 'node:stream';
import { Agent, errors } from 'undici';

export interface UpstreamOptions {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /** Keep-alive connections per origin. */
  connectionsPerOrigin: number;
}

export interface UpstreamRequest {
  origin: string;
  path: string;
  method: string;
  headers: string[];
  body?: Readable | null;
  signal?: AbortSignal;
  /** Interim (1xx) responses from the origin, before the final one. */
  onInterim?: (status: number, headers: Record<string, string | string[]>) => void;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-case names; repeated headers as arrays (Set-Cookie). */
  headers: Record<string, string | string[]>;
  body: Readable;
}

export type UpstreamFailure = 'connect' | 'timeout' | 'reset';

export class UpstreamError extends Error {
  readonly failure: UpstreamFailure;
  constructor(failure: UpstreamFailure, cause: unknown) {
    super(`origin ${failure === 'timeout' ? 'timed out' : `failed (${failure})`}`, { cause });
    this.name = 'UpstreamError';
    this.failure = failure;
  }
}

export function classifyUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new UpstreamError('timeout', error);
  }
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new UpstreamError('connect', error);
  }
  return new UpstreamError('reset', error);
}

export class Upstream {
  private readonly agent: Agent;

  constructor(options: UpstreamOptions) {
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.firstByteTimeoutMs,
      bodyTimeout: options.idleTimeoutMs,
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      const response = await this.agent.request({
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: request.signal,
        onInfo: request.onInterim
          ? (info: { statusCode: number; headers: Record<string, string | string[]> }) =>
              request.onInterim?.(info.statusCode, info.headers)
          : undefined,
      });
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = value;
      }
      return { status: response.statusCode, headers, body: response.body };
    } catch (error) {
      throw classifyUpstreamError(error);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
