// Building stored variants from origin responses and choosing the one that answers a request
// (Vary, RFC 9111 §4.1), with the serving decision of the http-cache library.

import {
  type CachePolicy,
  currentAgeMs,
  effectiveResponseDirectives,
  entryTiming,
  type HeaderMap,
  type MutableHeaders,
  secondaryKey,
  varyFields,
} from '../lib/http-cache/index.ts';
import { isCompressibleType } from './compression.ts';
import type { CachedObject, StoredVariant } from './store/entry.ts';

/**
 * The Vary fields that select a variant. When the edge does the compressing (an uncompressed,
 * compressible body) Accept-Encoding is left out: the edge picks the coding itself, so one
 * stored body serves every Accept-Encoding instead of one copy per header spelling.
 */
export function selectingFields(headers: HeaderMap): '*' | readonly string[] {
  const fields = varyFields(headers);
  if (fields === '*') return fields;
  const type = headers['content-type'];
  if (
    headers['content-encoding'] === undefined &&
    isCompressibleType(typeof type === 'string' ? type : undefined)
  ) {
    return fields.filter((field) => field !== 'accept-encoding');
  }
  return fields;
}

export function selectVariant(
  object: CachedObject,
  requestHeaders: HeaderMap,
): StoredVariant | undefined {
  if (object.vary.length === 1 && object.vary[0] === '*') return undefined;
  if (object.vary.length === 0) return object.variants[0];
  const key = secondaryKey(object.vary, requestHeaders);
  return object.variants.find((variant) => variant.varyKey === key);
}

/** Precomputes the fast-path numbers (see StoredVariant.fast) when the response allows them. */
export function withFastPath(variant: StoredVariant, policy: CachePolicy): StoredVariant {
  const directives = effectiveResponseDirectives(variant.headers, policy.targetedFields);
  if (
    directives.noCache ||
    directives.noCacheFields.length > 0 ||
    variant.invalidatedAt !== undefined
  ) {
    variant.fast = undefined;
    return variant;
  }
  const timing = entryTiming(variant, directives, variant.responseTime, policy);
  variant.fast = {
    lifetimeMs: timing.lifetimeMs,
    initialAgeMs: currentAgeMs(variant, variant.responseTime),
  };
  return variant;
}

export interface NewVariant {
  requestHeaders: HeaderMap;
  status: number;
  headers: MutableHeaders;
  body: Buffer;
  requestTime: number;
  responseTime: number;
  tags: string[];
}

/** Adds a variant to (a copy of) the object for its key, replacing variants a new Vary obsoletes. */
export function objectWith(
  previous: CachedObject | undefined,
  base: { key: string; siteId: string; path: string },
  fresh: NewVariant,
  policy: CachePolicy,
): CachedObject {
  const fields = selectingFields(fresh.headers);
  const vary = fields === '*' ? ['*'] : fields;
  const varyKey = fields === '*' ? '' : (secondaryKey(fields, fresh.requestHeaders) ?? '');
  const variant = withFastPath(
    {
      varyKey,
      status: fresh.status,
      headers: fresh.headers,
      body: fresh.body,
      requestTime: fresh.requestTime,
      responseTime: fresh.responseTime,
      tags: fresh.tags,
    },
    policy,
  );
  const sameVary =
    previous !== undefined &&
    previous.vary.length === vary.length &&
    previous.vary.every((field, i) => field === vary[i]);
  const kept = sameVary ? previous.variants.filter((v) => v.varyKey !== varyKey) : [];
  // Bound the variants per URL, newest kept, so a header with many spellings cannot grow one key.
  const variants = [variant, ...kept].slice(0, 32);
  return { key: base.key, siteId: base.siteId, path: base.path, vary, variants };
}

/** Age and remaining freshness of a stored variant at `nowMs`, per the library. */
export function timingOf(
  variant: StoredVariant,
  policy: CachePolicy,
  nowMs: number,
): { ageMs: number; ttlMs: number } {
  const directives = effectiveResponseDirectives(variant.headers, policy.targetedFields);
  return entryTiming(variant, directives, nowMs, policy);
}
