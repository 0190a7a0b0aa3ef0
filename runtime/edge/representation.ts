// Which representation of a stored variant a client gets: the body as stored, or a compressed
// copy the edge made once (brotli or gzip, chosen from Accept-Encoding with q-values), and the
// header list written for it. Header lists are built once per variant and coding.

import { chooseEncoding, fieldList, type HeaderMap } from '../lib/http-cache/index.ts';
import type { Site } from '../lib/site.ts';
import { compressBody, isCompressibleType } from './compression.ts';
import { viaToken } from './forward-headers.ts';
import type { CompressedCoding, ContentCoding, StoredVariant } from './store/entry.ts';
import { owned } from './store/owned-bytes.ts';

const compressibleMemo = new WeakMap<StoredVariant, boolean>();

/** Whether the edge compresses this stored variant for clients that accept it (memoised). */
export function isCompressible(site: Site, variant: StoredVariant, minBytes: number): boolean {
  if (!site.cache.compression) return false;
  let known = compressibleMemo.get(variant);
  if (known === undefined) {
    known = variantIsCompressible(variant, minBytes);
    compressibleMemo.set(variant, known);
  }
  return known;
}

function variantIsCompressible(variant: StoredVariant, minBytes: number): boolean {
  if (variant.status !== 200 || variant.body.length < minBytes) return false;
  const headers = variant.headers;
  if (headers['content-encoding'] !== undefined || headers['content-range'] !== undefined)
    return false;
  if (fieldList(headers, 'cache-control').some((d) => d.toLowerCase() === 'no-transform'))
    return false;
  const type = headers['content-type'];
  return isCompressibleType(typeof type === 'string' ? type : undefined);
}

/**
 * The coding to send. Identity when the client accepts nothing the edge offers: RFC 9110 §12.5.3
 * lets a server send identity rather than 406, which is what nginx and Varnish do.
 */
export function negotiateCoding(requestHeaders: HeaderMap): ContentCoding {
  if (requestHeaders['accept-encoding'] === undefined) return 'identity';
  return chooseEncoding(requestHeaders) ?? 'identity';
}

const pending = new WeakMap<StoredVariant, Partial<Record<CompressedCoding, Promise<Buffer>>>>();

/** The variant's body in `coding`, compressing it once and keeping the result on the variant. */
export async function compressedBody(
  variant: StoredVariant,
  coding: CompressedCoding,
): Promise<Buffer> {
  const ready = variant.compressed?.[coding];
  if (ready !== undefined) return ready;
  let inFlight = pending.get(variant);
  if (inFlight === undefined) {
    inFlight = {};
    pending.set(variant, inFlight);
  }
  let promise = inFlight[coding];
  if (promise === undefined) {
    promise = compressBody(variant.body, coding).then((compressed) => {
      // zlib hands back a view of its (pooled) output chunk: the variant keeps a copy of its own.
      const body = owned(compressed);
      variant.compressed = { ...variant.compressed, [coding]: body };
      return body;
    });
    inFlight[coding] = promise;
  }
  return promise;
}

/** Fields the edge writes itself on every answer from cache. */
const computedFields = new Set(['age', 'cache-status', 'content-length', 'via']);

/** Appends Accept-Encoding to a Vary value unless it is already there (or is `*`). */
export function varyWithAcceptEncoding(vary: string | string[] | number | undefined): string {
  const members = vary === undefined ? [] : fieldList({ vary }, 'vary');
  if (members.some((m) => m === '*' || m.toLowerCase() === 'accept-encoding'))
    return members.join(', ');
  return [...members, 'Accept-Encoding'].join(', ');
}

/** A strong ETag turned weak: the compressed bytes differ from the stored ones (as nginx does). */
function weakened(etag: string): string {
  return etag.startsWith('W/') ? etag : `W/${etag}`;
}

/**
 * The header list for a variant in a coding, without Age and Cache-Status (which change per
 * answer): stored fields, Content-Length of the body sent, Via, and for compressible variants
 * Vary with Accept-Encoding (plus Content-Encoding and a weak ETag when compressed).
 */
export function wireHeaders(
  variant: StoredVariant,
  coding: ContentCoding,
  bodyLength: number,
  compressible: boolean,
): string[] {
  const cached = variant.wire?.[coding];
  if (cached !== undefined) return cached;
  const out: string[] = [];
  let via: string | undefined;
  for (const name in variant.headers) {
    const value = variant.headers[name] as string | string[] | number;
    if (name === 'via') {
      via = Array.isArray(value) ? value.join(', ') : String(value);
      continue;
    }
    if (computedFields.has(name)) continue;
    if (compressible && name === 'vary') continue;
    if (coding !== 'identity' && name === 'etag') {
      out.push(name, weakened(String(value)));
      continue;
    }
    if (Array.isArray(value)) for (const one of value) out.push(name, one);
    else out.push(name, String(value));
  }
  if (compressible) out.push('vary', varyWithAcceptEncoding(variant.headers.vary));
  if (coding !== 'identity') out.push('content-encoding', coding);
  out.push('content-length', String(bodyLength));
  out.push('via', via === undefined ? viaToken : `${via}, ${viaToken}`);
  variant.wire = { ...variant.wire, [coding]: out };
  return out;
}
