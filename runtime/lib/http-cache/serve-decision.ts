/**
 * Can a stored response answer a request, and how (RFC 9111 §4, §4.2.4, §5.2; RFC 5861)?
 * Vary matching happens before this: the caller passes the stored response selected by key.
 */
import { parseRequestDirectives, type ResponseDirectives } from './cache-control.ts';
import { currentAgeMs, freshnessLifetime } from './freshness.ts';
import type { CachePolicy, RequestInfo, StoredResponse } from './stored-response.ts';
import { effectiveResponseDirectives } from './targeted.ts';
import { conditionalRequestHeaders } from './validation.ts';

/** Why the stored response cannot be served without contacting the origin. */
export type RevalidateReason =
  | 'stale'
  | 'response-no-cache'
  | 'request-no-cache'
  | 'request-max-age'
  | 'request-min-fresh';

/** Timing of a stored response at the moment of the decision, in ms. */
export interface EntryTiming {
  /** Current age (RFC 9111 §4.2.3). */
  readonly ageMs: number;
  /** Freshness lifetime. */
  readonly lifetimeMs: number;
  /** lifetime - age: positive while fresh, negative (or 0) once stale. Cache-Status `ttl`. */
  readonly ttlMs: number;
}

export type ServeDecision =
  /** Serve from cache. `omitFields`: qualified no-cache fields to drop from the response. */
  | ({ readonly kind: 'fresh'; readonly omitFields: readonly string[] } & EntryTiming)
  /** Serve stale from cache because the client's max-stale accepts it. */
  | ({ readonly kind: 'stale-allowed'; readonly omitFields: readonly string[] } & EntryTiming)
  /**
   * Serve stale now and revalidate in the background with `conditionalHeaders`
   * (stale-while-revalidate, RFC 5861 §3).
   */
  | ({
      readonly kind: 'stale-while-revalidate';
      readonly omitFields: readonly string[];
      readonly conditionalHeaders: Readonly<Record<string, string>>;
    } & EntryTiming)
  /**
   * Forward to the origin with `conditionalHeaders` added (empty when the stored response has
   * no validator). If the origin then fails, ask `staleOnErrorAllowed`.
   */
  | ({
      readonly kind: 'revalidate';
      readonly reason: RevalidateReason;
      readonly conditionalHeaders: Readonly<Record<string, string>>;
    } & EntryTiming)
  /** only-if-cached and the stored response cannot be used: answer 504 (RFC 9111 §5.2.1.7). */
  | ({ readonly kind: 'gateway-timeout' } & EntryTiming);

/** Timing of a stored response at `nowMs`; a soft-purged entry is stale from its purge time. */
export function entryTiming(
  stored: StoredResponse,
  directives: ResponseDirectives,
  nowMs: number,
  policy: CachePolicy = {},
): EntryTiming {
  const ageMs = currentAgeMs(stored, nowMs);
  let lifetimeMs = freshnessLifetime(stored, directives, stored.responseTime, policy).lifetimeMs;
  if (stored.invalidatedAt !== undefined && stored.invalidatedAt <= nowMs) {
    // Soft purge: staleness counts from the purge, so stale-while-revalidate windows apply.
    lifetimeMs = Math.min(lifetimeMs, ageMs - (nowMs - stored.invalidatedAt));
  }
  return { ageMs, lifetimeMs, ttlMs: lifetimeMs - ageMs };
}

/** True when the response forbids serving it stale (must-revalidate, proxy-revalidate, s-maxage). */
export function forbidsStale(directives: ResponseDirectives): boolean {
  return (
    directives.mustRevalidate || directives.proxyRevalidate || directives.sMaxage !== undefined
  );
}

/**
 * Decides how a stored response may answer `request` at `nowMs`:
 * 1. response `no-cache` (unqualified) or request `no-cache` / `Pragma: no-cache` → revalidate;
 * 2. request `max-age` exceeded by the current age → revalidate;
 * 3. fresh: `min-fresh` not met → revalidate, else fresh;
 * 4. stale: the client's `max-stale` (unless must-revalidate, proxy-revalidate or s-maxage
 *    forbid stale) → stale-allowed; within the response's stale-while-revalidate window (unless
 *    must-revalidate or proxy-revalidate; an explicit stale-while-revalidate beside s-maxage is
 *    honoured, as CDNs do) → stale-while-revalidate; else revalidate;
 * 5. a revalidate outcome becomes gateway-timeout when the request says only-if-cached.
 */
export function decideServe(
  request: RequestInfo,
  stored: StoredResponse,
  nowMs: number,
  policy: CachePolicy = {},
): ServeDecision {
  const directives = effectiveResponseDirectives(stored.headers, policy.targetedFields);
  const req = parseRequestDirectives(request.headers);
  const timing = entryTiming(stored, directives, nowMs, policy);
  const omitFields = directives.noCacheFields;
  const revalidate = (reason: RevalidateReason): ServeDecision =>
    req.onlyIfCached
      ? { kind: 'gateway-timeout', ...timing }
      : {
          kind: 'revalidate',
          reason,
          conditionalHeaders: conditionalRequestHeaders(stored.headers),
          ...timing,
        };

  if (directives.noCache) return revalidate('response-no-cache');
  if (req.noCache) return revalidate('request-no-cache');
  if (req.maxAge !== undefined && timing.ageMs > req.maxAge * 1000) {
    return revalidate('request-max-age');
  }
  if (timing.ttlMs > 0) {
    if (req.minFresh !== undefined && timing.ttlMs < req.minFresh * 1000) {
      return revalidate('request-min-fresh');
    }
    return { kind: 'fresh', omitFields, ...timing };
  }
  const stalenessMs = -timing.ttlMs;
  if (
    req.maxStale !== undefined &&
    !forbidsStale(directives) &&
    stalenessMs <= req.maxStale * 1000
  ) {
    return { kind: 'stale-allowed', omitFields, ...timing };
  }
  if (
    directives.staleWhileRevalidate !== undefined &&
    !directives.mustRevalidate &&
    !directives.proxyRevalidate &&
    req.minFresh === undefined &&
    stalenessMs <= directives.staleWhileRevalidate * 1000
  ) {
    return {
      kind: 'stale-while-revalidate',
      omitFields,
      conditionalHeaders: conditionalRequestHeaders(stored.headers),
      ...timing,
    };
  }
  return revalidate('stale');
}

/**
 * May the stale stored response be served because the origin failed (connection error, timeout,
 * or a 500/502/503/504), at `nowMs` (RFC 5861 §4, RFC 9111 §4.2.4)? Never with must-revalidate,
 * proxy-revalidate or no-cache; with s-maxage only when the response itself grants
 * stale-if-error. The window is the largest of the response's stale-if-error, the request's
 * stale-if-error and the site default. When this says no, a must-revalidate response answers 504.
 */
export function staleOnErrorAllowed(
  request: RequestInfo,
  stored: StoredResponse,
  nowMs: number,
  policy: CachePolicy = {},
): boolean {
  const directives = effectiveResponseDirectives(stored.headers, policy.targetedFields);
  if (directives.mustRevalidate || directives.proxyRevalidate || directives.noCache) return false;
  const req = parseRequestDirectives(request.headers);
  const granted =
    directives.sMaxage !== undefined
      ? directives.staleIfError
      : Math.max(
          directives.staleIfError ?? 0,
          req.staleIfError ?? 0,
          policy.defaultStaleIfErrorSeconds ?? 0,
        );
  if (granted === undefined) return false;
  const timing = entryTiming(stored, directives, nowMs, policy);
  return -timing.ttlMs <= granted * 1000;
}

/** Origin statuses that count as an error for stale-if-error (RFC 5861 §4). */
export function isOriginErrorStatus(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504;
}
