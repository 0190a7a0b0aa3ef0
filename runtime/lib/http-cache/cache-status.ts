/**
 * The Cache-Status response field (RFC 9211): one list member per cache, the one nearest the
 * origin first, so the edge appends its member to any Cache-Status the upstream sent.
 */

/** Why the edge went forward (RFC 9211 §2.2). */
export type FwdReason =
  | 'bypass'
  | 'method'
  | 'uri-miss'
  | 'vary-miss'
  | 'miss'
  | 'request'
  | 'stale'
  | 'partial';

export interface CacheStatus {
  /** Served from cache without going forward. */
  readonly hit?: boolean;
  /** Went forward, and why. */
  readonly fwd?: FwdReason;
  /** Status of the forward response (e.g. 304 after revalidation). */
  readonly fwdStatus?: number;
  /** Remaining freshness in seconds (negative when served stale). */
  readonly ttl?: number;
  /** The forward response was stored. */
  readonly stored?: boolean;
  /** The request was collapsed onto another one's forward request. */
  readonly collapsed?: boolean;
  /** The cache key (only when the site opts in: it can reveal URLs). */
  readonly key?: string;
  /** Free-form detail, e.g. `stale-while-revalidate`, `stale-if-error`, a not-stored reason. */
  readonly detail?: string;
}

const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;
const MAX_SF_INTEGER = 999_999_999_999_999;

/** sf-string (RFC 8941 §3.3.3): printable ASCII only, so anything else is percent-encoded. */
function sfString(value: string): string {
  const ascii = value.replace(/[^\x20-\x7e]/gu, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: U+FFFD
    }
  });
  return `"${ascii.replace(/[\\"]/g, '\\$&')}"`;
}

function sfInteger(value: number): string {
  const n = Math.trunc(value);
  return String(Math.max(-MAX_SF_INTEGER, Math.min(MAX_SF_INTEGER, Number.isNaN(n) ? 0 : n)));
}

/**
 * The Cache-Status list member for this cache, e.g. `edgeplane; hit; ttl=42`. Serialised by hand
 * on the hot path (every response carries one; `structured-headers` took ~3 us per call): names
 * and details that are tokens stay bare, anything else becomes an sf-string, numbers are
 * truncated to sf-integers. The tests parse every shape back with `structured-headers`.
 * Parameters are spaced like RFC 9211's examples (`a; b`), which parsers accept.
 */
export function formatCacheStatus(cacheName: string, status: CacheStatus): string {
  let out = TOKEN.test(cacheName) ? cacheName : sfString(cacheName);
  if (status.hit) out += '; hit';
  if (status.fwd !== undefined) out += `; fwd=${status.fwd}`;
  if (status.fwdStatus !== undefined) out += `; fwd-status=${sfInteger(status.fwdStatus)}`;
  if (status.ttl !== undefined) out += `; ttl=${sfInteger(status.ttl)}`;
  if (status.stored) out += '; stored';
  if (status.collapsed) out += '; collapsed';
  if (status.key !== undefined) out += `; key=${sfString(status.key)}`;
  if (status.detail !== undefined) {
    out += `; detail=${TOKEN.test(status.detail) ? status.detail : sfString(status.detail)}`;
  }
  return out;
}

/** Appends this cache's member to the Cache-Status value received from upstream, if any. */
export function appendCacheStatus(upstream: string | undefined, member: string): string {
  const previous = upstream?.trim();
  return previous ? `${previous}, ${member}` : member;
}
