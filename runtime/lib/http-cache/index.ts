/**
 * edgeplane HTTP caching semantics: RFC 9111 (shared cache), RFC 9110 conditionals and Range,
 * RFC 9211 Cache-Status, RFC 9213 targeted cache-control, RFC 5861 stale-* extensions.
 * Pure functions: no I/O, no clock (times are ms since the epoch passed in), lower-case header
 * names, Node's IncomingHttpHeaders / OutgoingHttpHeaders shapes accepted.
 *
 * Typical use by the edge server, per request:
 *   url = requestUrl(scheme, host, req.url)             -> undefined: 400
 *   key = cacheKey(method, url, site.queryPolicy)        primary key (HEAD shares GET's)
 *   entry = store.get(key) selected by secondaryKey(varyFields(entry.headers), req.headers)
 *   decideServe(req, entry, now, policy)                 fresh | stale-allowed | stale-while-revalidate
 *                                                        | revalidate(conditionalHeaders) | gateway-timeout
 *   evaluatePreconditions / planRange                    304/412, 206/416 from the stored response
 *   on origin error: staleOnErrorAllowed(req, entry, now, policy)
 *   on origin response: stripHopByHop; storability(req, res, policy); 304 ->
 *     selectNotModifiedTargets + freshenStoredResponse; invalidatedUrls for unsafe methods
 *   every response: ageHeaderValue(timing.ageMs), formatCacheStatus('edgeplane', {...})
 *
 * Changes since the first commit (all additive; no signature broke):
 * - evaluatePreconditions(request, storedHeaders, { status, receivedAt }) takes optional options:
 *   pass the stored status (preconditions only apply to 2xx) and responseTime (If-Modified-Since
 *   falls back to Date, then to it).
 * - storability(...).omitFields also lists qualified no-cache fields (strip them before storing).
 * - conditionalRequestHeaders sends If-Modified-Since only when validating a single response.
 * - new: withDateHeader (add Date to a response received without one, RFC 9110 §6.6.1),
 *   parseByteRanges, headResponseEffect (HEAD 200 freshens or staleness, §4.3.5),
 *   normalisePercentEncoding (cache keys now treat %7E and ~ alike).
 * - header parse results are memoised per distinct value (bounded): treat returned directive
 *   objects as read-only.
 * See README.md for the decisions behind the choices.
 */

export { CODING_PREFERENCE, type ContentCoding, chooseEncoding } from './accept-encoding.ts';
export {
  type DirectiveMap,
  MAX_DELTA_SECONDS,
  parseDeltaSeconds,
  parseDirectives,
  parseRequestDirectives,
  parseResponseCacheControl,
  type RequestDirectives,
  type ResponseDirectives,
  responseDirectivesFrom,
} from './cache-control.ts';
export {
  cacheKey,
  KEEP_QUERY,
  normalisePercentEncoding,
  normaliseQuery,
  normaliseUrl,
  type QueryPolicy,
  requestUrl,
} from './cache-key.ts';
export {
  appendCacheStatus,
  type CacheStatus,
  type FwdReason,
  formatCacheStatus,
} from './cache-status.ts';
export {
  type ConditionalOutcome,
  evaluatePreconditions,
  NOT_MODIFIED_FIELDS,
  notModifiedHeaders,
  type PreconditionOptions,
} from './conditional.ts';
export {
  type EntityTag,
  formatEntityTag,
  parseEntityTag,
  parseEntityTagList,
  strongMatch,
  weakMatch,
} from './entity-tag.ts';
export {
  ageHeaderValue,
  ageValueSeconds,
  currentAgeMs,
  type FreshnessLifetime,
  freshnessLifetime,
  hasExplicitExpiry,
  type LifetimeSource,
  withDateHeader,
} from './freshness.ts';
export {
  copyHeaders,
  fieldLines,
  fieldList,
  fieldValue,
  type HeaderMap,
  type HeaderValue,
  type MutableHeaders,
  splitList,
} from './headers.ts';
export { HOP_BY_HOP_FIELDS, hopByHopFieldNames, stripHopByHop } from './hop-by-hop.ts';
export { formatHttpDate, parseHttpDate } from './http-date.ts';
export { invalidatedUrls, isUnsafeMethod, SAFE_METHODS } from './invalidation.ts';
export {
  type BytePart,
  ifRangeHolds,
  type MultipartPart,
  parseByteRanges,
  planRange,
  type RangeOptions,
  type RangePlan,
} from './range.ts';
export {
  decideServe,
  type EntryTiming,
  entryTiming,
  forbidsStale,
  isOriginErrorStatus,
  type RevalidateReason,
  type ServeDecision,
  staleOnErrorAllowed,
} from './serve-decision.ts';
export { HEURISTICALLY_CACHEABLE_STATUS, UNDERSTOOD_STATUS } from './status-codes.ts';
export {
  type NotStorableReason,
  STORABLE_METHODS,
  type Storability,
  storability,
} from './storable.ts';
export type { CachePolicy, RequestInfo, ResponseInfo, StoredResponse } from './stored-response.ts';
export {
  DEFAULT_TARGETED_FIELDS,
  effectiveResponseDirectives,
  parseTargetedField,
} from './targeted.ts';
export {
  conditionalRequestHeaders,
  entityTagOf,
  freshenStoredResponse,
  headResponseEffect,
  NOT_UPDATED_FIELDS,
  selectNotModifiedTargets,
  strongLastModified,
} from './validation.ts';
export {
  normaliseAcceptEncoding,
  normaliseListValue,
  normaliseVaryValue,
  secondaryKey,
  varyFields,
  varyMatches,
} from './vary.ts';
