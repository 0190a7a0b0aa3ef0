// Going forward to the origin: cache fills (streamed to the client while buffered for the store,
// up to the max object size), revalidations (304 freshens the stored variant, RFC 9111 §4.3.4),
// stale-if-error, and plain pass-through for what is not cacheable.
import { Readable } from 'node:stream';
import {
  type CachePolicy,
  type CacheStatus,
  type FwdReason,
  freshenStoredResponse,
  headResponseEffect,
  isOriginErrorStatus,
  type MutableHeaders,
  type ResponseInfo,
  selectNotModifiedTargets,
  staleOnErrorAllowed,
  storability,
  stripHopByHop,
  withDateHeader,
} from '../lib/http-cache/index.ts';
import type { Site } from '../lib/site.ts';
import { appendCacheStatus, cacheStatus } from './cache-status.ts';
import { compressStream, isCompressibleType } from './compression.ts';
import type { EdgeContext } from './context.ts';
import type { EdgeResponse, Exchange } from './exchange.ts';
import { forwardRequestHeaders, viaToken } from './forward-headers.ts';
import { relayInterim } from './interim.ts';
import { surrogateKeysOf } from './purge.ts';
import { negotiateCoding, varyWithAcceptEncoding } from './representation.ts';
import { serveStored } from './serve-stored.ts';
import { policiesOf } from './site-policy.ts';
import type { CachedObject, StoredVariant } from './store/entry.ts';
import { ownedCopy } from './store/owned-bytes.ts';
import { classifyUpstreamError, UpstreamError, type UpstreamResponse } from './upstream.ts';
import { objectWith, selectVariant, timingOf, withFastPath } from './variants.ts';

/** Client conditionals and ranges are answered by the edge, so a fill asks for the whole 200. */
const fillDroppedFields = [
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
  'range',
];

export interface FillOptions {
  key: string;
  fwd: FwdReason;
  /** This process holds the shared fill lock and must store or release it. */
  lead: boolean;
  /** The stored variant being revalidated, with the conditional headers to send. */
  stale?: {
    object: CachedObject;
    variant: StoredVariant;
    conditional: Readonly<Record<string, string>>;
  };
  /** Background revalidation: nothing is written to the exchange's client. */
  background?: boolean;
}

/** A site's origin URL taken apart once per Site object (a reload brings new ones). */
const parsedOrigins = new WeakMap<Site, { origin: string; base: string; host: string }>();

function originTarget(exchange: Exchange): { origin: string; path: string; host: string } {
  let parsed = parsedOrigins.get(exchange.site);
  if (parsed === undefined) {
    const url = new URL(exchange.site.origin);
    const base = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
    parsed = { origin: url.origin, base, host: url.host };
    parsedOrigins.set(exchange.site, parsed);
  }
  return { origin: parsed.origin, path: `${parsed.base}${exchange.target}`, host: parsed.host };
}

async function requestUpstream(
  ctx: EdgeContext,
  exchange: Exchange,
  method: string,
  headers: string[],
  withBody: boolean,
  interim = true,
): Promise<{ response: UpstreamResponse; requestTime: number; responseTime: number }> {
  const target = originTarget(exchange);
  const requestTime = Date.now();
  const started = performance.now();
  try {
    const response = await ctx.upstream.request({
      origin: target.origin,
      path: target.path,
      method,
      headers,
      // Only node:http's requests carry a body: the fast path takes none (fast-hit/plain-request.ts).
      body: withBody && exchange.req instanceof Readable ? exchange.req : null,
      onInterim: interim
        ? (status, fields) => relayInterim(exchange.res, status, fields)
        : undefined,
    });
    ctx.observer.originLatency(exchange.site.id, (performance.now() - started) / 1000);
    return { response, requestTime, responseTime: Date.now() };
  } catch (error) {
    const failure = classifyUpstreamError(error);
    ctx.observer.originError(exchange.site.id, failure.failure);
    throw failure;
  }
}

/** 502 for a refused or broken connection, 504 for a timeout; the client learns which, not why. */
export function answerUpstreamError(
  exchange: Exchange,
  error: UpstreamError,
  fwd: FwdReason,
): void {
  const { res } = exchange;
  exchange.cache = 'error';
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = error.failure === 'timeout' ? 504 : 502;
  const body = `${status === 504 ? 'origin timed out' : 'origin unreachable'} for site ${exchange.site.id}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'cache-status': cacheStatus({ fwd, detail: `origin-${error.failure}` }),
    via: viaToken,
  });
  res.end(body);
}

function responseHeadersForClient(upstream: MutableHeaders, member: string): MutableHeaders {
  const headers: MutableHeaders = { ...upstream };
  const via = headers.via;
  headers.via =
    via === undefined ? viaToken : `${Array.isArray(via) ? via.join(', ') : via}, ${viaToken}`;
  headers['cache-status'] = appendCacheStatus(
    headers['cache-status'] === undefined ? undefined : String(headers['cache-status']),
    member,
  );
  return headers;
}

/** Pass-through: any method, nothing stored. Unsafe methods invalidate what they touch (§4.4). */
export async function forward(
  ctx: EdgeContext,
  exchange: Exchange,
  status: CacheStatus,
  /** Awaited once the origin's status and headers are in, before the client gets them. */
  beforeAnswer?: (status: number, headers: MutableHeaders) => Promise<void>,
): Promise<{ status: number; headers: MutableHeaders } | undefined> {
  const { req, res } = exchange;
  const target = originTarget(exchange);
  const headers = forwardRequestHeaders(req.rawHeaders, req.headers, {
    originHost: target.host,
    clientAddress: req.socket.remoteAddress,
  });
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  let upstream: Awaited<ReturnType<typeof requestUpstream>>;
  try {
    upstream = await requestUpstream(ctx, exchange, exchange.info.method, headers, hasBody);
  } catch (error) {
    answerUpstreamError(exchange, error as UpstreamError, status.fwd ?? 'bypass');
    return undefined;
  }
  exchange.cache = 'pass';
  const out = stripHopByHop(upstream.response.headers);
  delete out['surrogate-key'];
  delete out['cache-tag'];
  if (beforeAnswer !== undefined) await beforeAnswer(upstream.response.status, out);
  res.writeHead(upstream.response.status, responseHeadersForClient(out, cacheStatus(status)));
  await streamBody(exchange, upstream.response, res, undefined, 0);
  return { status: upstream.response.status, headers: out };
}

/** Where a body goes: the client's response, or a compressor in front of it. */
type Sink = NodeJS.WritableStream & { destroy(error?: Error): unknown };

/**
 * Copies the upstream body to the client (or a compressor in front of it), keeping a copy of up
 * to `keepLimit` bytes; returns the copy, or undefined when the body outgrew the limit (then it
 * was only streamed) or failed midway. `whole` runs when the copy is whole, before the sink ends.
 */
async function streamBody(
  exchange: Exchange,
  upstream: UpstreamResponse,
  sink: Sink | undefined,
  keep: Buffer[] | undefined,
  keepLimit: number,
  whole?: () => void,
): Promise<Buffer | undefined> {
  let kept = keep;
  let size = 0;
  let sent = 0;
  const client = exchange.res;
  const body = upstream.body;
  try {
    // A small body has usually arrived whole with the headers: no await at all then.
    for (;;) {
      for (const chunk of body.take()) {
        if (kept !== undefined) {
          size += chunk.length;
          if (size > keepLimit) kept = undefined;
          else kept.push(chunk);
        }
        if (sink !== undefined && !client.destroyed) {
          sent += chunk.length;
          if (!sink.write(chunk)) await drained(sink, client);
        }
      }
      if (body.ended) break;
      await body.wait();
    }
  } catch (error) {
    // The origin broke off midway: the client gets a truncated response, the cache nothing.
    exchange.cache = 'error';
    if (sink !== undefined) sink.destroy(error as Error);
    client.destroy();
    return undefined;
  }
  exchange.bytes += sent;
  if (kept !== undefined) whole?.();
  if (sink !== undefined && !client.destroyed) sink.end();
  // Always a copy: an origin chunk is a view of the socket read that carried it (headers too),
  // which the cache would keep alive beyond the bytes it counts; and a copy of its own, not one
  // carved from Node's shared pool (store/owned-bytes.ts).
  return kept === undefined ? undefined : ownedCopy(kept, size);
}

/** Resolves when the sink drains or the client goes away, leaving no listener behind. */
function drained(sink: Sink, client: EdgeResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      sink.off('drain', done);
      client.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    client.on('close', done);
  });
}

/**
 * A forward request for a GET or HEAD the cache could not answer: fill (store what the RFC lets
 * us), revalidate a stale variant, or fall back to it when the origin fails.
 */
export async function fill(
  ctx: EdgeContext,
  exchange: Exchange,
  options: FillOptions,
): Promise<void> {
  const { req, res, site } = exchange;
  const policy = policiesOf(site).cache;
  const release = () => {
    if (options.lead) ctx.tier.release(options.key, options.background === true);
  };
  const target = originTarget(exchange);
  const method = options.background ? 'GET' : exchange.info.method;
  const headers = forwardRequestHeaders(req.rawHeaders, req.headers, {
    originHost: target.host,
    clientAddress: req.socket.remoteAddress,
    drop: method === 'GET' ? fillDroppedFields : undefined,
    set: options.stale?.conditional ? { ...options.stale.conditional } : undefined,
  });

  const serveStaleOnError = (detail: string): boolean => {
    const stale = options.stale;
    if (stale === undefined || options.background) return false;
    if (!staleOnErrorAllowed(exchange.info, stale.variant, Date.now(), policy)) return false;
    exchange.cache = 'stale';
    void serveStoredNow(ctx, exchange, stale.object, stale.variant, policy, {
      fwd: 'stale',
      detail,
    });
    return true;
  };

  let upstream: Awaited<ReturnType<typeof requestUpstream>>;
  try {
    upstream = await requestUpstream(ctx, exchange, method, headers, false, !options.background);
  } catch (error) {
    release();
    if (options.background) return;
    if (!serveStaleOnError('stale-if-error'))
      answerUpstreamError(exchange, error as UpstreamError, options.fwd);
    return;
  }
  const { response, requestTime, responseTime } = upstream;

  if (
    options.stale !== undefined &&
    isOriginErrorStatus(response.status) &&
    serveStaleOnError('stale-if-error')
  ) {
    response.body.resume();
    release();
    return;
  }

  if (response.status === 304 && options.stale !== undefined) {
    response.body.resume();
    const { object } = options.stale;
    const targets = selectNotModifiedTargets(
      response.headers,
      object.variants,
      object.variants.indexOf(options.stale.variant),
    );
    if (targets.length > 0) {
      const variants = object.variants.map((variant, index) =>
        targets.includes(index)
          ? freshenedVariant(
              variant,
              { status: 304, headers: response.headers },
              requestTime,
              responseTime,
              policy,
            )
          : variant,
      );
      const updatedObject: CachedObject = { ...object, variants };
      keep(ctx, updatedObject);
      if (options.background) return;
      const chosen =
        variants[object.variants.indexOf(options.stale.variant)] ?? variants[targets[0] ?? 0];
      if (chosen === undefined) return;
      exchange.cache = 'revalidated';
      await serveStoredNow(ctx, exchange, updatedObject, chosen, policy, {
        fwd: 'stale',
        fwdStatus: 304,
      });
      return;
    }
    // A 304 that matches nothing stored: ask again without conditionals.
    release();
    await fill(ctx, exchange, { ...options, stale: undefined, lead: false });
    return;
  }

  // A 200 to a HEAD refreshes the stored GET it matches, or marks it stale (RFC 9111 §4.3.5).
  if (method === 'HEAD' && response.status === 200 && options.stale !== undefined) {
    const { object, variant } = options.stale;
    const index = object.variants.indexOf(variant);
    if (index !== -1) {
      const effect = headResponseEffect(variant.headers, response.headers);
      const updated: StoredVariant =
        effect === 'freshen'
          ? freshenedVariant(
              variant,
              { status: 200, headers: response.headers },
              requestTime,
              responseTime,
              policy,
            )
          : { ...variant, invalidatedAt: responseTime, fast: undefined };
      const variants = object.variants.map((one, i) => (i === index ? updated : one));
      keep(ctx, { ...object, variants });
    }
  }

  const stripped = stripHopByHop(response.headers);
  const tags = surrogateKeysOf(stripped['surrogate-key'], stripped['cache-tag']);
  // Surrogate keys are for the CDN, not for clients (as Fastly and Cloudflare do).
  delete stripped['surrogate-key'];
  delete stripped['cache-tag'];
  const verdict = storability(
    { method, headers: exchange.info.headers },
    { status: response.status, headers: stripped },
    policy,
  );
  const declaredLength = Number(response.headers['content-length'] ?? Number.NaN);
  const hasCookie = stripped['set-cookie'] !== undefined;
  const storable =
    method === 'GET' &&
    verdict.storable &&
    !hasCookie &&
    !(declaredLength > ctx.options.maxObjectBytes);
  const storeFilled = (body: Buffer): CachedObject =>
    store(ctx, exchange, options, {
      stripped,
      tags,
      omit: verdict.storable ? verdict.omitFields : [],
      status: response.status,
      body,
      requestTime,
      responseTime,
    });

  if (options.background) {
    if (!storable) {
      response.body.resume();
      release();
      return;
    }
    const body = await streamBody(exchange, response, undefined, [], ctx.options.maxObjectBytes);
    if (body === undefined) {
      release();
      return;
    }
    storeFilled(body);
    return;
  }

  // A Range request on a miss: fill the whole object (it is small enough to store), then answer
  // the range from it, as for a hit.
  if (storable && req.headers.range !== undefined && Number.isFinite(declaredLength)) {
    const body = await streamBody(exchange, response, undefined, [], ctx.options.maxObjectBytes);
    if (body === undefined) {
      release();
      if (!res.headersSent)
        answerUpstreamError(exchange, new UpstreamError('reset', undefined), options.fwd);
      return;
    }
    const object = storeFilled(body);
    const variant = selectVariant(object, exchange.info.headers);
    if (variant === undefined) return;
    exchange.cache = 'miss';
    await serveStoredNow(ctx, exchange, object, variant, policy, {
      fwd: options.fwd,
      fwdStatus: response.status,
      stored: true,
    });
    return;
  }

  const notStoredDetail = !verdict.storable
    ? verdict.reason
    : hasCookie
      ? 'set-cookie'
      : method !== 'GET'
        ? 'method'
        : 'too-large';
  // Cache-Status goes out before the body: `stored` is claimed only when the length is known to
  // fit. A body of unknown length is stored if it ends within the limit, and says nothing here.
  const member = cacheStatus({
    fwd: options.fwd,
    fwdStatus: response.status,
    stored: storable && Number.isFinite(declaredLength),
    ...(storable ? {} : { detail: notStoredDetail }),
  });
  const clientHeaders = responseHeadersForClient(stripped, member);

  // Compress on the way through when the edge would compress the stored copy too.
  const type = stripped['content-type'];
  const compressible =
    site.cache.compression &&
    response.status === 200 &&
    stripped['content-encoding'] === undefined &&
    !(declaredLength < ctx.options.compressMinBytes) &&
    isCompressibleType(typeof type === 'string' ? type : undefined) &&
    !String(stripped['cache-control'] ?? '')
      .toLowerCase()
      .includes('no-transform');
  const coding =
    compressible && method === 'GET' ? negotiateCoding(exchange.info.headers) : 'identity';
  let sink: Sink = res;
  if (compressible) clientHeaders.vary = varyWithAcceptEncoding(clientHeaders.vary);
  if (coding !== 'identity') {
    delete clientHeaders['content-length'];
    clientHeaders['content-encoding'] = coding;
    const etag = clientHeaders.etag;
    if (typeof etag === 'string' && !etag.startsWith('W/')) clientHeaders.etag = `W/${etag}`;
    const compressor = compressStream(coding);
    compressor.pipe(res);
    sink = compressor;
  }
  exchange.cache = storable ? 'miss' : 'pass';
  res.writeHead(response.status, clientHeaders);
  if (method === 'HEAD') {
    response.body.resume();
    res.end();
    release();
    return;
  }
  const body = await streamBody(
    exchange,
    response,
    sink,
    storable ? [] : undefined,
    ctx.options.maxObjectBytes,
    options.lead ? () => ctx.tier.markComplete?.(options.key) : undefined,
  );
  if (!storable || body === undefined) {
    release();
    return;
  }
  storeFilled(body);
}

function store(
  ctx: EdgeContext,
  exchange: Exchange,
  options: FillOptions,
  fresh: {
    stripped: MutableHeaders;
    tags: string[];
    omit: readonly string[];
    status: number;
    body: Buffer;
    requestTime: number;
    responseTime: number;
  },
): CachedObject {
  const headers = { ...fresh.stripped };
  for (const name of fresh.omit) delete headers[name];
  // RFC 9110 §6.6.1: a cache adds the Date its clock saw when the origin sent none.
  if (headers.date === undefined)
    headers.date = String(withDateHeader({}, fresh.responseTime).date);
  delete headers['transfer-encoding'];
  headers['content-length'] = String(fresh.body.length);
  const path = exchange.url.pathname + exchange.url.search;
  const previous = ctx.memory.peek(options.key);
  const object = objectWith(
    previous,
    { key: options.key, siteId: exchange.site.id, path: pathForPurge(options.key, path) },
    {
      requestHeaders: exchange.info.headers,
      status: fresh.status,
      headers,
      body: fresh.body,
      requestTime: fresh.requestTime,
      responseTime: fresh.responseTime,
      tags: fresh.tags,
    },
    policiesOf(exchange.site).cache,
  );
  keep(ctx, object);
  return object;
}

/** A stored variant brought up to date by a 304, or a 200 to a HEAD, and valid again. */
function freshenedVariant(
  variant: StoredVariant,
  validation: ResponseInfo,
  requestTime: number,
  responseTime: number,
  policy: CachePolicy,
): StoredVariant {
  const freshened = freshenStoredResponse(variant, validation, requestTime, responseTime);
  return withFastPath(
    {
      ...variant,
      headers: freshened.headers as MutableHeaders,
      requestTime: freshened.requestTime,
      responseTime: freshened.responseTime,
      invalidatedAt: undefined,
      wire: undefined,
    },
    policy,
  );
}

/**
 * Puts the object in the shared tier, and in this thread's memory tier unless the shared tier
 * holds this thread's fills (a worker thread): there it replaces a copy the thread holds, and
 * otherwise waits until the thread is asked for it again (a lookup then brings it). Most misses
 * of a CDN are never asked for again, so a worker's small tier keeps what is asked for twice,
 * and a miss costs the worker no insert (and no eviction) of its own.
 */
function keep(ctx: EdgeContext, object: CachedObject): void {
  // A purge that landed while this response was being fetched wins (purge-fence.ts); the
  // primary's shared store checks again for purges this worker has not heard of yet.
  if (!ctx.fence.admit(object)) {
    ctx.tier.release(object.key);
    return;
  }
  const flight = ctx.inflight.get(object.key);
  if (flight !== undefined) flight.object = object;
  if (!ctx.tier.holdsFills || ctx.memory.peek(object.key) !== undefined)
    ctx.memory.set(object.key, object);
  ctx.tier.store(object);
}

/** Answers from a stored variant (not on the hit path) with its age and TTL as of now. */
function serveStoredNow(
  ctx: EdgeContext,
  exchange: Exchange,
  object: CachedObject,
  variant: StoredVariant,
  policy: CachePolicy,
  status: CacheStatus,
): void | Promise<void> {
  const timing = timingOf(variant, policy, Date.now());
  return serveStored(ctx, exchange, object, variant, {
    status,
    ageMs: timing.ageMs,
    ttlMs: timing.ttlMs,
  });
}

/** The path and query as the cache key has them (query normalised by the site's policy). */
export function pathForPurge(key: string, fallback: string): string {
  // A key is `<METHOD> <scheme>://<host><path>[?<query>]` with the URL already normalised
  // (cacheKey), so the path starts at the first '/' after the authority.
  const scheme = key.indexOf('://', key.indexOf(' ') + 1);
  if (scheme === -1) return fallback;
  const path = key.indexOf('/', scheme + 3);
  return path === -1 ? '/' : key.slice(path);
}
