// What the cache holds. One CachedObject per primary key (site + method + normalised URL), with
// one variant per Vary selection and content coding. Kept small: headers as one plain object with
// lower-case names (the http-cache library's HeaderMap), bodies as Buffers.
import type { MutableHeaders } from '../../lib/http-cache/index.ts';
export type ContentCoding = 'identity' | 'br' | 'gzip';
export type CompressedCoding = Exclude<ContentCoding, 'identity'>;

export interface StoredVariant {
  /** The secondary key: the request's values of the headers named by Vary, normalised. */
  varyKey: string;
  status: number;
  /** Response headers as stored: lower-case names, hop-by-hop fields removed. */
  headers: MutableHeaders;
  body: Buffer;
  /** Bodies the edge compressed from `body`, made on first demand and kept (never per hit). */
  compressed?: Partial<Record<CompressedCoding, Buffer>>;
  /** Epoch ms when the request that produced this response was sent, and its response received. */
  requestTime: number;
  responseTime: number;
  /** Surrogate keys from Surrogate-Key and Cache-Tag. */
  tags: readonly string[];
  /** Set by a soft purge (ms since epoch): from then the variant is stale whatever it says. */
  invalidatedAt?: number;
  /**
   * The library's serving decision precomputed at store time, for requests without Cache-Control
   * or Pragma (see hit-path.ts); absent when the response always needs the full decision.
   */
  fast?: { lifetimeMs: number; initialAgeMs: number };
  /** Headers as written to clients per coding, built on first use (see serve-stored.ts). */
  wire?: Partial<Record<ContentCoding, string[]>>;
}

export interface CachedObject {
  readonly key: string;
  readonly siteId: string;
  /** The URL path and query, for purge by prefix. */
  readonly path: string;
  /** Header names from the newest response's Vary, lower-case; ['*'] never matches. */
  vary: readonly string[];
  variants: StoredVariant[];
}

/**
 * What holding a variant costs in memory, not only its bytes: measured by
 * test/edge/stored-footprint.test.ts, which fills a tier through real misses and hits and
 * checks that the count covers what clearing it frees (V8 heap and ArrayBuffers). Beyond the
 * bodies, a variant holds its objects, arrays and the Buffers' wrappers (`variantOverheadBytes`);
 * each header field a string per value and name, an entry in the header record, and the wire
 * arrays hits build (`fieldOverheadBytes`); and each field's text about three times: as parsed
 * (values are slices of the response head, which they keep alive), and in the hit head built
 * from them.
 */
export const variantOverheadBytes = 2048;
export const fieldOverheadBytes = 64;

export function variantSize(variant: StoredVariant): number {
  let size = variant.body.length + variantOverheadBytes + variant.varyKey.length;
  size += (variant.compressed?.br?.length ?? 0) + (variant.compressed?.gzip?.length ?? 0);
  for (const name in variant.headers) {
    const value = variant.headers[name];
    if (!Array.isArray(value)) size += fieldSize(name, String(value));
    else for (const one of value) size += fieldSize(name, one);
  }
  for (const tag of variant.tags) size += tag.length;
  return size;
}

function fieldSize(name: string, value: string): number {
  return fieldOverheadBytes + 3 * (name.length + value.length);
}

export function objectSize(object: CachedObject): number {
  let size = 120 + object.key.length + object.path.length;
  for (const variant of object.variants) size += variantSize(variant);
  return size;
}
