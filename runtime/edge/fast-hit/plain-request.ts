// Which parsed requests the fast path may answer: a plain GET whose headers change nothing but
// the site, the cache key, the variant and the coding. Every other shape (a body, Expect,
// Upgrade, conditionals, Range, request Cache-Control/Pragma, credentials, a repeated field,
// a cookie on a site that bypasses the cache for cookies...) goes to node:http and the full
// handler, so its answer stays exactly today's.
import type { HeaderMap } from '../../lib/http-cache/index.ts';
import { methodGet, type RequestHead } from './request-head.ts';

/** Request fields whose presence sends the request to the full handler. */
const fullHandlerFields = new Set([
  'content-length',
  'transfer-encoding',
  'expect',
  'upgrade',
  'te',
  'trailer',
  'cache-control',
  'pragma',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
  'authorization',
  'proxy-authorization',
  'http2-settings',
]);

export interface PlainRequest {
  target: string;
  host: string;
  /** Lower-case names, one value each (as IncomingMessage.headers for these requests). */
  headers: HeaderMap;
  hasCookie: boolean;
}

/**
 * The request as the fast path reads it, or undefined when it must go to the full handler.
 * `maxHeaderCount` is the traffic server's limit: past it the full handler answers 431.
 */
export function plainRequest(head: RequestHead, maxHeaderCount: number): PlainRequest | undefined {
  if (head.method !== methodGet || head.versionMinor !== 1 || !head.keepAlive) return undefined;
  const target = head.url;
  // Origin-form only: absolute-form targets and `*` take the full handler's routing.
  if (target.charCodeAt(0) !== 47 /* / */) return undefined;
  const raw = head.rawHeaders;
  if (raw.length > maxHeaderCount * 2) return undefined;
  const headers: Record<string, string> = {};
  let host: string | undefined;
  let hasCookie = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (headers[name] !== undefined || fullHandlerFields.has(name)) return undefined;
    if (name === 'host') host = value;
    else if (name === 'cookie') hasCookie = true;
    // keep-alive is the only Connection option that changes nothing on a hit.
    else if (name === 'connection' && value.toLowerCase() !== 'keep-alive') return undefined;
    headers[name] = value;
  }
  if (host === undefined || host === '') return undefined;
  return { target, host, headers, hasCookie };
}
