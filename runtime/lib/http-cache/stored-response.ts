import type { HeaderMap } from './headers.ts';

/** A cached response as the semantics functions need it (the body lives elsewhere). */
export interface StoredResponse {
  readonly status: number;
  /** Stored header fields: lower-case names, hop-by-hop fields already removed. */
  readonly headers: HeaderMap;
  /** When the request that produced (or last validated) this response was sent, ms since epoch. */
  readonly requestTime: number;
  /** When that response was received, ms since epoch. */
  readonly responseTime: number;
  /** Set by a soft purge: from this time the entry is stale whatever its headers say. */
  readonly invalidatedAt?: number;
}

/** A request as the semantics functions need it. */
export interface RequestInfo {
  /** Upper-case method. */
  readonly method: string;
  readonly headers: HeaderMap;
}

/** A response as received from upstream (before storing). */
export interface ResponseInfo {
  readonly status: number;
  readonly headers: HeaderMap;
}

/** Site- and edge-level knobs of the caching semantics; every field has an RFC-minded default. */
export interface CachePolicy {
  /** RFC 9213 targeted fields obeyed before Cache-Control, in order. Default `['cdn-cache-control']`. */
  readonly targetedFields?: readonly string[];
  /** Fraction of (Date - Last-Modified) used as heuristic lifetime (RFC 9111 §4.2.2). Default 0.1. */
  readonly heuristicFraction?: number;
  /** Cap of a heuristic lifetime in seconds. Default 86400 (one day). */
  readonly heuristicMaxSeconds?: number;
  /**
   * Site TTL override in seconds: replaces the lifetime the response's own fields give (like a
   * Varnish `beresp.ttl` override). Storability rules (no-store, private, ...) still apply.
   */
  readonly ttlOverrideSeconds?: number;
  /**
   * Lifetime in seconds for storable responses that carry no explicit freshness (like nginx
   * `proxy_cache_valid`), used instead of heuristic freshness.
   */
  readonly defaultTtlSeconds?: number;
  /**
   * Seconds a stale response may be served when the origin fails, for responses that have no
   * stale-if-error of their own and do not forbid serving stale (RFC 9111 §4.2.4). Default 0.
   */
  readonly defaultStaleIfErrorSeconds?: number;
}
