/**
 * Whether a shared cache may store a response (RFC 9111 §3, §3.5).
 */
import { parseRequestDirectives, type ResponseDirectives } from './cache-control.ts';
import { fieldLines, fieldList } from './headers.ts';
import { HEURISTICALLY_CACHEABLE_STATUS, UNDERSTOOD_STATUS } from './status-codes.ts';
import type { CachePolicy, RequestInfo, ResponseInfo } from './stored-response.ts';
import { effectiveResponseDirectives } from './targeted.ts';

/** Why a response is not stored; stable strings, usable as a metric label or Cache-Status detail. */
export type NotStorableReason =
  | 'method'
  | 'status'
  | 'partial'
  | 'request-no-store'
  | 'no-store'
  | 'private'
  | 'must-understand'
  | 'authorization'
  | 'vary-star'
  | 'no-freshness-or-validator';

export type Storability =
  | {
      readonly storable: true;
      /**
       * Fields not to store, lower-case: those named by a qualified `private="..."` (§5.2.2.7)
       * and by a qualified `no-cache="..."` (§5.2.2.4: they may not be sent from cache without
       * validation; a 304 that carries them puts them back).
       */
      readonly omitFields: readonly string[];
      readonly directives: ResponseDirectives;
    }
  | {
      readonly storable: false;
      readonly reason: NotStorableReason;
      readonly directives: ResponseDirectives;
    };

/** Methods whose responses the edge stores. HEAD responses only refresh stored GET responses. */
export const STORABLE_METHODS: ReadonlySet<string> = new Set(['GET']);

/**
 * Decides whether the response to `request` may be stored by the edge:
 * method understood (GET); final status, not 206/304; request has no `no-store`; response has
 * no `no-store` (unless must-understand with an understood status, §5.2.2.3), no unqualified
 * `private`; must-understand only with an understood status; a request with Authorization only
 * when the response has public, s-maxage or must-revalidate (§3.5); not `Vary: *`; and it has
 * explicit freshness, `public`, a heuristically cacheable status, a site default TTL, or a
 * validator to revalidate with.
 */
export function storability(
  request: RequestInfo,
  response: ResponseInfo,
  policy: CachePolicy = {},
): Storability {
  const directives = effectiveResponseDirectives(response.headers, policy.targetedFields);
  const no = (reason: NotStorableReason): Storability => ({ storable: false, reason, directives });
  if (!STORABLE_METHODS.has(request.method.toUpperCase())) return no('method');
  if (response.status === 206) return no('partial');
  if (response.status < 200 || response.status === 304 || response.status > 599) {
    return no('status');
  }
  if (parseRequestDirectives(request.headers).noStore) return no('request-no-store');
  const understood = UNDERSTOOD_STATUS.has(response.status);
  if (directives.mustUnderstand && !understood) return no('must-understand');
  if (directives.noStore && !(directives.mustUnderstand && understood)) return no('no-store');
  if (directives.private) return no('private');
  if (
    fieldLines(request.headers, 'authorization').length > 0 &&
    !directives.public &&
    directives.sMaxage === undefined &&
    !directives.mustRevalidate
  ) {
    return no('authorization');
  }
  if (fieldList(response.headers, 'vary').some((v) => v.trim() === '*')) return no('vary-star');
  const hasFreshnessInfo =
    directives.maxAge !== undefined ||
    directives.sMaxage !== undefined ||
    (directives.source === 'cache-control' && fieldLines(response.headers, 'expires').length > 0) ||
    directives.public ||
    policy.ttlOverrideSeconds !== undefined ||
    policy.defaultTtlSeconds !== undefined ||
    (HEURISTICALLY_CACHEABLE_STATUS.has(response.status) &&
      fieldLines(response.headers, 'last-modified').length > 0);
  const hasValidator =
    fieldLines(response.headers, 'etag').length > 0 ||
    fieldLines(response.headers, 'last-modified').length > 0;
  if (!hasFreshnessInfo && !hasValidator) return no('no-freshness-or-validator');
  if (!hasFreshnessInfo && !HEURISTICALLY_CACHEABLE_STATUS.has(response.status)) {
    // A validator alone does not make a non-default-cacheable status storable (§3).
    return no('no-freshness-or-validator');
  }
  const omitFields = [...new Set([...directives.privateFields, ...directives.noCacheFields])];
  return { storable: true, omitFields, directives };
}
