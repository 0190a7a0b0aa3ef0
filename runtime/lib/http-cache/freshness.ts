/**
 * Freshness lifetime (RFC 9111 §4.2.1, §4.2.2) and current age (§4.2.3). All times are ms since
 * the epoch passed in by the caller; durations are returned in ms.
 */
import { MAX_DELTA_SECONDS, type ResponseDirectives } from './cache-control.ts';
import {
  copyHeaders,
  fieldLines,
  type HeaderMap,
  type MutableHeaders,
  splitList,
} from './headers.ts';
import { formatHttpDate, parseHttpDate } from './http-date.ts';
import { HEURISTICALLY_CACHEABLE_STATUS } from './status-codes.ts';
import type { CachePolicy, ResponseInfo, StoredResponse } from './stored-response.ts';

/** Where a freshness lifetime came from. */
export type LifetimeSource =
  | 'override'
  | 's-maxage'
  | 'max-age'
  | 'expires'
  | 'heuristic'
  | 'default'
  | 'none';

export interface FreshnessLifetime {
  readonly lifetimeMs: number;
  readonly source: LifetimeSource;
}

function firstDate(response: ResponseInfo, name: string, nowMs: number): number | undefined {
  const line = fieldLines(response.headers, name)[0];
  return line === undefined ? undefined : parseHttpDate(line, nowMs);
}

/** True when the response states its own expiry (s-maxage, max-age, or a usable Expires). */
export function hasExplicitExpiry(response: ResponseInfo, directives: ResponseDirectives): boolean {
  if (directives.sMaxage !== undefined || directives.maxAge !== undefined) return true;
  return (
    directives.source === 'cache-control' && fieldLines(response.headers, 'expires').length > 0
  );
}

/**
 * The freshness lifetime of a response for a shared cache: s-maxage, else max-age, else
 * Expires - Date (an invalid Expires means already expired; Expires is ignored when a targeted
 * field governs), else heuristic freshness for heuristically cacheable statuses or `public`
 * (a fraction of Date - Last-Modified, capped), else 0.
 * `responseTime` stands in for a missing Date.
 */
export function freshnessLifetime(
  response: ResponseInfo,
  directives: ResponseDirectives,
  responseTime: number,
  policy: CachePolicy = {},
): FreshnessLifetime {
  if (policy.ttlOverrideSeconds !== undefined) {
    return { lifetimeMs: policy.ttlOverrideSeconds * 1000, source: 'override' };
  }
  if (directives.sMaxage !== undefined) {
    return { lifetimeMs: directives.sMaxage * 1000, source: 's-maxage' };
  }
  if (directives.maxAge !== undefined) {
    return { lifetimeMs: directives.maxAge * 1000, source: 'max-age' };
  }
  const date = firstDate(response, 'date', responseTime) ?? responseTime;
  if (directives.source === 'cache-control' && fieldLines(response.headers, 'expires').length > 0) {
    const expires = firstDate(response, 'expires', responseTime);
    const lifetimeMs = expires === undefined ? 0 : Math.max(0, expires - date);
    return { lifetimeMs: Math.min(lifetimeMs, MAX_DELTA_SECONDS * 1000), source: 'expires' };
  }
  if (policy.defaultTtlSeconds !== undefined) {
    return { lifetimeMs: policy.defaultTtlSeconds * 1000, source: 'default' };
  }
  if (HEURISTICALLY_CACHEABLE_STATUS.has(response.status) || directives.public) {
    const lastModified = firstDate(response, 'last-modified', responseTime);
    if (lastModified !== undefined && lastModified < date) {
      const fraction = policy.heuristicFraction ?? 0.1;
      const capMs = (policy.heuristicMaxSeconds ?? 86_400) * 1000;
      return {
        lifetimeMs: Math.min(Math.floor((date - lastModified) * fraction), capMs),
        source: 'heuristic',
      };
    }
  }
  return { lifetimeMs: 0, source: 'none' };
}

/**
 * The Age header value in seconds: the first list member if it is a non-negative integer,
 * else 0 (a malformed Age is ignored rather than trusted).
 */
export function ageValueSeconds(response: ResponseInfo): number {
  const first = fieldLines(response.headers, 'age').flatMap(splitList)[0];
  if (first === undefined || !/^\d+$/.test(first)) return 0;
  return Math.min(Number(first), MAX_DELTA_SECONDS);
}

/**
 * The current age of a stored response at `nowMs` (RFC 9111 §4.2.3):
 * apparent_age = max(0, response_time - date_value);
 * corrected_age_value = age_value + (response_time - request_time);
 * corrected_initial_age = max(apparent_age, corrected_age_value);
 * current_age = corrected_initial_age + (now - response_time).
 */
export function currentAgeMs(stored: StoredResponse, nowMs: number): number {
  const date = firstDate(stored, 'date', stored.responseTime) ?? stored.responseTime;
  const apparentAge = Math.max(0, stored.responseTime - date);
  const responseDelay = Math.max(0, stored.responseTime - stored.requestTime);
  const correctedAgeValue = ageValueSeconds(stored) * 1000 + responseDelay;
  const correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
  const residentTime = Math.max(0, nowMs - stored.responseTime);
  return correctedInitialAge + residentTime;
}

/** The Age header to send for an age in ms: whole seconds, capped at 2^31 (RFC 9111 §5.1). */
export function ageHeaderValue(ageMs: number): string {
  return String(Math.min(Math.max(0, Math.floor(ageMs / 1000)), MAX_DELTA_SECONDS));
}

/**
 * A copy of response headers with a Date field: RFC 9110 §6.6.1 requires a cache that stores or
 * forwards a response without Date to add one with the time it was received.
 */
export function withDateHeader(headers: HeaderMap, responseTime: number): MutableHeaders {
  const out = copyHeaders(headers);
  if (out.date === undefined) out.date = formatHttpDate(responseTime);
  return out;
}
