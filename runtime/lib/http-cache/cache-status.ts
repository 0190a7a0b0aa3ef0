/**
 * The Cache-Status response field (RFC 9211): one list member per cache, the one nearest the
 * origin first, so the edge appends its member to any Cache-Status the upstream sent.
 * Serialisation is by `structured-headers` (RFC 8941), which quotes and escapes as required.
 */
import { type BareItem, serializeList, Token } from 'structured-headers';

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

/** The Cache-Status list member for this cache, e.g. `edgeplane; hit; ttl=42`. */
export function formatCacheStatus(cacheName: string, status: CacheStatus): string {
  const params = new Map<string, BareItem>();
  if (status.hit) params.set('hit', true);
  if (status.fwd !== undefined) params.set('fwd', new Token(status.fwd));
  if (status.fwdStatus !== undefined) params.set('fwd-status', Math.trunc(status.fwdStatus));
  if (status.ttl !== undefined) params.set('ttl', Math.trunc(status.ttl));
  if (status.stored) params.set('stored', true);
  if (status.collapsed) params.set('collapsed', true);
  if (status.key !== undefined) params.set('key', asciiString(status.key));
  if (status.detail !== undefined) {
    params.set(
      'detail',
      /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/.test(status.detail)
        ? new Token(status.detail)
        : asciiString(status.detail),
    );
  }
  const name = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/.test(cacheName)
    ? new Token(cacheName)
    : asciiString(cacheName);
  return spaceParameters(serializeList([[name, params]]));
}

/**
 * RFC 8941 serialises parameters as `a;b`; RFC 9211's examples (and operators' eyes) use `a; b`,
 * which parsers accept too. Semicolons inside sf-strings are left alone.
 */
function spaceParameters(serialised: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < serialised.length; i++) {
    const ch = serialised[i] as string;
    if (inString && ch === '\\') {
      out += ch + (serialised[++i] ?? '');
      continue;
    }
    if (ch === '"') inString = !inString;
    out += !inString && ch === ';' ? '; ' : ch;
  }
  return out;
}

/** sf-string allows printable ASCII only: percent-encode everything else. */
function asciiString(value: string): string {
  return value.replace(/[^\x20-\x7e]/gu, (ch) => encodeURIComponent(ch));
}

/** Appends this cache's member to the Cache-Status value received from upstream, if any. */
export function appendCacheStatus(upstream: string | undefined, member: string): string {
  const previous = upstream?.trim();
  return previous ? `${previous}, ${member}` : member;
}
