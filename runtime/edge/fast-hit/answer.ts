// The fast path's cache lookup: the same steps as handler.ts's plain hit (site by Host, cache
// key, memory tier, Vary, freshness from the stored numbers, coding), stopping at the first
// thing that is not a plain fresh hit so the full handler takes the request from the start.
import type { Site } from '../../lib/site.ts';
import type { EdgeContext } from '../context.ts';
import { isCompressible, negotiateCoding } from '../representation.ts';
import { selectVariant } from '../variants.ts';
import { type BodyFiles, sendFileMinBytes } from '../zero-copy/body-files.ts';
import { hitCopiesBudgetBytes, hitHead, wholeOf } from './hit-response.ts';
import type { PlainRequest } from './plain-request.ts';

export interface FastAnswer {
  site: Site;
  status: number;
  head: Buffer;
  body: Buffer;
  /** head + body in one buffer, when held (see hit-response.ts wholeOf). */
  whole: Buffer | undefined;
  /** A sealed memfd holding the body, for a large one when zero-copy sends are on (zero-copy/). */
  file: number | undefined;
}

export function fastAnswer(
  ctx: EdgeContext,
  request: PlainRequest,
  nowMs: number,
  keepAliveTimeoutMs: number,
  bodyFiles: BodyFiles | undefined,
): FastAnswer | undefined {
  const site = ctx.sites.lookup(request.host);
  if (site === undefined) return undefined;
  if (request.hasCookie && site.cache.cookies === 'bypass') return undefined;
  const scheme = request.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  const resolved = ctx.requestKeys.resolve(site, scheme, request.host, request.target);
  if (resolved === undefined) return undefined;
  const object = ctx.memory.get(resolved.key);
  if (object === undefined) return undefined;
  const variant = selectVariant(object, request.headers);
  if (variant === undefined) return undefined;
  const compressible = isCompressible(site, variant, ctx.options.compressMinBytes);
  const coding = compressible ? negotiateCoding(request.headers) : 'identity';
  const body = coding === 'identity' ? variant.body : variant.compressed?.[coding];
  // A coding not made yet is made by the full handler (once, then kept on the variant).
  if (body === undefined) return undefined;
  const built = hitHead(variant, coding, body, compressible, nowMs, keepAliveTimeoutMs);
  if (built === undefined) return undefined;
  const file = body.length >= sendFileMinBytes ? bodyFiles?.fileOf(body) : undefined;
  return {
    site,
    status: variant.status,
    head: built.head,
    body,
    // A body sent from its file is never joined to its head as well.
    whole:
      file === undefined
        ? wholeOf(built, body, hitCopiesBudgetBytes - (bodyFiles?.budgetBytes ?? 0))
        : undefined,
    file,
  };
}
