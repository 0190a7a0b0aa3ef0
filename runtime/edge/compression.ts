// Brotli and gzip with node:zlib. The edge compresses a stored identity body once per coding and
// stores the result as another variant, so a hit never compresses.
import { promisify } from 'node:util';
import {
  type BrotliCompress,
  brotliCompress,
  constants,
  createBrotliCompress,
  createGzip,
  type Gzip,
  gzip,
} from 'node:zlib';
import type { ContentCoding } from './store/entry.ts';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

// Quality 5 for stored variants: close to the ratio of 11 at a small fraction of its CPU, which
// matters on a 2-core edge. Streams (the first response of a miss) use 4.
const storedBrotli = {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  },
};
const streamBrotli = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

const compressibleTypes = new Set([
  'application/javascript',
  'application/json',
  'application/ld+json',
  'application/manifest+json',
  'application/wasm',
  'application/xml',
  'application/xhtml+xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/x-javascript',
  'font/ttf',
  'font/otf',
  'image/svg+xml',
  'image/x-icon',
  'image/bmp',
]);

/** Whether a Content-Type is worth compressing: text, JSON, XML, JavaScript, SVG, some fonts. */
export function isCompressibleType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return (
    type.startsWith('text/') ||
    compressibleTypes.has(type) ||
    type.endsWith('+json') ||
    type.endsWith('+xml')
  );
}

export function compressBody(
  body: Buffer,
  coding: Exclude<ContentCoding, 'identity'>,
): Promise<Buffer> {
  return coding === 'br' ? brotli(body, storedBrotli) : gzipAsync(body, { level: 6 });
}

export function compressStream(coding: Exclude<ContentCoding, 'identity'>): BrotliCompress | Gzip {
  return coding === 'br' ? createBrotliCompress(streamBrotli) : createGzip({ level: 6 });
}
