// A cached object as one buffer: a 4-byte big-endian length of a JSON header (key, site, path,
// Vary, the variants' metadata with body lengths), the header, then the variant bodies back to
// back. The disk tier's file layout, and how objects travel between the primary and worker threads.
import type { CachedObject, StoredVariant } from './entry.ts';

export interface ObjectHeader {
  key: string;
  siteId: string;
  path: string;
  vary: string[];
  variants: (Omit<StoredVariant, 'body' | 'wire' | 'compressed'> & { bodyLength: number })[];
}

/**
 * The object in a buffer over an ArrayBuffer of exactly its size (never Node's shared pool), so
 * it can be transferred to another thread whole. Derived data (wire heads, compressed bodies) is
 * left out; `keepFast` keeps the precomputed hit numbers (variants.ts), which the disk tier does not
 * keep.
 */
export function encodeObject(object: CachedObject, keepFast: boolean): Buffer {
  const header: ObjectHeader = {
    key: object.key,
    siteId: object.siteId,
    path: object.path,
    vary: [...object.vary],
    variants: object.variants.map(
      ({ body, wire: _wire, compressed: _compressed, fast, ...meta }) => ({
        ...meta,
        ...(keepFast && fast !== undefined ? { fast } : {}),
        bodyLength: body.length,
      }),
    ),
  };
  const json = JSON.stringify(header);
  const jsonLength = Buffer.byteLength(json);
  let size = 4 + jsonLength;
  for (const variant of object.variants) size += variant.body.length;
  const data = Buffer.from(new ArrayBuffer(size));
  data.writeUInt32BE(jsonLength, 0);
  data.write(json, 4);
  let offset = 4 + jsonLength;
  for (const variant of object.variants) offset += variant.body.copy(data, offset);
  return data;
}

/** The object back; its bodies are views of `data`. */
export function decodeObject(data: Buffer): CachedObject {
  const length = data.readUInt32BE(0);
  const header = JSON.parse(data.toString('utf8', 4, 4 + length)) as ObjectHeader;
  let offset = 4 + length;
  const variants: StoredVariant[] = header.variants.map(({ bodyLength, ...meta }) => {
    const body = data.subarray(offset, offset + bodyLength);
    offset += bodyLength;
    return { ...meta, body };
  });
  return { key: header.key, siteId: header.siteId, path: header.path, vary: header.vary, variants };
}
