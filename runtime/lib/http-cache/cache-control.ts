/**
 * Cache-Control parsing (RFC 9111 §5.2) for requests and responses, and the typed views the rest
 * of the library uses. Directive names are case-insensitive; values may be tokens or quoted
 * strings; the first occurrence of a repeated directive wins (§4.2.1); unknown directives are kept.
 */
import { fieldLines, type HeaderMap, splitList, unquote } from './headers.ts';

/** The largest delta-seconds a cache must represent (RFC 9111 §1.2.2). */
export const MAX_DELTA_SECONDS = 2147483648;

/** Directive name (lower-case) to its unquoted value, or `true` when it has none. */
export type DirectiveMap = ReadonlyMap<string, string | true>;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Parses the Cache-Control field lines into a directive map. A member whose name is not a token
 * (e.g. `max-age =5`) is ignored; later repeats of a directive are ignored.
 */
export function parseDirectives(lines: readonly string[]): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const member of lines.flatMap(splitList)) {
    const eq = member.indexOf('=');
    const rawName = eq < 0 ? member : member.slice(0, eq);
    if (!TOKEN.test(rawName)) continue;
    const name = rawName.toLowerCase();
    if (directives.has(name)) continue;
    directives.set(name, eq < 0 ? true : unquote(member.slice(eq + 1)));
  }
  return directives;
}

/**
 * delta-seconds (RFC 9111 §1.2.2): digits only, capped at 2^31. Returns undefined for anything
 * else (a decimal, a sign, letters, whitespace, no value).
 */
export function parseDeltaSeconds(value: string | true | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Math.min(n, MAX_DELTA_SECONDS);
}

/** Field names of a qualified directive such as `no-cache="set-cookie, x-a"`, lower-cased. */
function qualifiedFields(value: string | true | undefined): string[] {
  if (typeof value !== 'string') return [];
  return splitList(value).map((name) => name.toLowerCase());
}

/** What a response's caching directives say, as the edge (a shared cache) reads them. */
export interface ResponseDirectives {
  /** The field these directives came from: `cache-control` or a targeted field (RFC 9213). */
  readonly source: string;
  /** max-age in seconds; an invalid value reads as 0 (stale), as RFC 9111 §4.2.1 encourages. */
  readonly maxAge: number | undefined;
  /** s-maxage in seconds; an invalid value reads as 0. */
  readonly sMaxage: number | undefined;
  readonly noStore: boolean;
  /** Unqualified no-cache: every reuse needs validation. */
  readonly noCache: boolean;
  /** Qualified no-cache: these fields must not be sent from cache without validation. */
  readonly noCacheFields: readonly string[];
  /** Unqualified private: a shared cache must not store the response. */
  readonly private: boolean;
  /** Qualified private: a shared cache must not store these fields. */
  readonly privateFields: readonly string[];
  readonly public: boolean;
  readonly mustRevalidate: boolean;
  readonly proxyRevalidate: boolean;
  readonly mustUnderstand: boolean;
  readonly noTransform: boolean;
  readonly immutable: boolean;
  /** RFC 5861 stale-while-revalidate window in seconds. */
  readonly staleWhileRevalidate: number | undefined;
  /** RFC 5861 stale-if-error window in seconds. */
  readonly staleIfError: number | undefined;
  /** Every directive as received, unknown ones included. */
  readonly directives: DirectiveMap;
}

function lifetimeDirective(value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  return parseDeltaSeconds(value) ?? 0;
}

/** Typed view of a response directive map. */
export function responseDirectivesFrom(
  directives: DirectiveMap,
  source = 'cache-control',
): ResponseDirectives {
  const noCache = directives.get('no-cache');
  const priv = directives.get('private');
  return {
    source,
    maxAge: lifetimeDirective(directives.get('max-age')),
    sMaxage: lifetimeDirective(directives.get('s-maxage')),
    noStore: directives.has('no-store'),
    noCache:
      noCache === true || (typeof noCache === 'string' && qualifiedFields(noCache).length === 0),
    noCacheFields: qualifiedFields(noCache),
    private: priv === true || (typeof priv === 'string' && qualifiedFields(priv).length === 0),
    privateFields: qualifiedFields(priv),
    public: directives.has('public'),
    mustRevalidate: directives.has('must-revalidate'),
    proxyRevalidate: directives.has('proxy-revalidate'),
    mustUnderstand: directives.has('must-understand'),
    noTransform: directives.has('no-transform'),
    immutable: directives.has('immutable'),
    staleWhileRevalidate: parseDeltaSeconds(directives.get('stale-while-revalidate')),
    staleIfError: parseDeltaSeconds(directives.get('stale-if-error')),
    directives,
  };
}

/** The response's Cache-Control directives (ignoring any targeted field). */
export function parseResponseCacheControl(headers: HeaderMap): ResponseDirectives {
  return responseDirectivesFrom(parseDirectives(fieldLines(headers, 'cache-control')));
}

/** What a request's caching directives ask of the cache (RFC 9111 §5.2.1, §5.4). */
export interface RequestDirectives {
  /** Seconds; the client will not accept a response older than this. */
  readonly maxAge: number | undefined;
  /** Seconds of staleness accepted; `Infinity` for `max-stale` without a value. */
  readonly maxStale: number | undefined;
  /** Seconds of remaining freshness required. */
  readonly minFresh: number | undefined;
  /** no-cache, or `Pragma: no-cache` when the request has no Cache-Control field. */
  readonly noCache: boolean;
  readonly noStore: boolean;
  readonly onlyIfCached: boolean;
  readonly noTransform: boolean;
  /** RFC 5861 stale-if-error sent by the client. */
  readonly staleIfError: number | undefined;
  readonly directives: DirectiveMap;
}

/** Parses a request's Cache-Control (and Pragma, when Cache-Control is absent). */
export function parseRequestDirectives(headers: HeaderMap): RequestDirectives {
  if (headers['cache-control'] === undefined && headers.pragma === undefined) {
    return NO_REQUEST_DIRECTIVES;
  }
  return parseRequestDirectivesUncached(headers);
}

function parseRequestDirectivesUncached(headers: HeaderMap): RequestDirectives {
  const lines = fieldLines(headers, 'cache-control');
  const directives = parseDirectives(lines);
  const pragmaNoCache =
    lines.length === 0 &&
    fieldLines(headers, 'pragma')
      .flatMap(splitList)
      .some((d) => d.toLowerCase() === 'no-cache');
  const maxStale = directives.get('max-stale');
  return {
    maxAge: parseDeltaSeconds(directives.get('max-age')),
    maxStale: maxStale === true ? Number.POSITIVE_INFINITY : parseDeltaSeconds(maxStale),
    minFresh: parseDeltaSeconds(directives.get('min-fresh')),
    noCache: directives.has('no-cache') || pragmaNoCache,
    noStore: directives.has('no-store'),
    onlyIfCached: directives.has('only-if-cached'),
    noTransform: directives.has('no-transform'),
    staleIfError: parseDeltaSeconds(directives.get('stale-if-error')),
    directives,
  };
}

/** Most requests carry no caching directives: one shared answer for them. */
const NO_REQUEST_DIRECTIVES: RequestDirectives = parseRequestDirectivesUncached({});
