// The traffic request handler: site by Host, then the cache for GET and HEAD, pass-through (with
// invalidation, RFC 9111 §4.4) for every other method, known or not.
import { cacheKey, decideServe, invalidatedUrls, isUnsafeMethod } from '../lib/http-cache/index.ts';
import { cacheStatus } from './cache-status.ts';
import type { EdgeContext } from './context.ts';
import { type EdgeRequest, type EdgeResponse, type Exchange, observeWhenDone } from './exchange.ts';
import { fill, forward, pathForPurge } from './fill.ts';
import { viaToken } from './forward-headers.ts';
import { notReady } from './not-ready.ts';
import { serveStored } from './serve-stored.ts';
import { policiesOf } from './site-policy.ts';
import type { CachedObject, StoredVariant } from './store/entry.ts';
import { selectVariant } from './variants.ts';

function plain(res: EdgeResponse, status: number, body: string, member: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'cache-status': member,
    via: viaToken,
  });
  res.end(body);
}

export function createEdgeHandler(ctx: EdgeContext) {
  return (req: EdgeRequest, res: EdgeResponse): void => {
    const startedAt = performance.now();
    // RFC 9112 §3.2.2: with an absolute-form target, its authority replaces Host.
    const target = req.url ?? '/';
    const authority =
      target.charCodeAt(0) === 47 /* / */ || !URL.canParse(target)
        ? req.headers.host
        : new URL(target).host;
    const site = ctx.sites.lookup(authority);
    if (site === undefined) {
      if (!ctx.sitesReady) {
        notReady(ctx, req, res, startedAt);
        return;
      }
      const host = (authority ?? '').slice(0, 200).replace(/[^\x20-\x7e]/g, '?');
      plain(
        res,
        404,
        `no site is configured for host "${host}" on this edge\n`,
        cacheStatus({ fwd: 'bypass', detail: 'unknown-host' }),
      );
      ctx.observer.request({
        site: 'unknown',
        method: req.method ?? 'GET',
        path: '',
        status: 404,
        cache: 'none',
        bytes: 0,
        startedAt,
      });
      return;
    }
    // The scheme the client used (TLS ends at the ingress, which says so) is part of the cache
    // key, so a spoofed X-Forwarded-Proto cannot plant an https-specific answer for http users.
    const scheme = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
    const resolved = ctx.requestKeys.resolve(site, scheme, authority ?? '', target);
    if (resolved === undefined) {
      plain(
        res,
        400,
        'the request target is not a valid path or URL\n',
        cacheStatus({ fwd: 'bypass', detail: 'bad-target' }),
      );
      return;
    }
    const exchange: Exchange = {
      req,
      res,
      site,
      target: target.startsWith('/') ? target : resolved.url.pathname + resolved.url.search,
      url: resolved.url,
      key: resolved.key,
      info: { method: req.method ?? 'GET', headers: req.headers },
      startedAt,
      cache: 'none',
      bytes: 0,
    };
    observeWhenDone(exchange, ctx.observer);
    const work =
      exchange.info.method === 'GET' || exchange.info.method === 'HEAD'
        ? cacheable(ctx, exchange)
        : passUnsafe(ctx, exchange);
    if (work !== undefined) {
      work.catch((error: unknown) => {
        ctx.observer.logger.error(
          { err: error, site: site.id, path: exchange.target },
          'request failed',
        );
        exchange.cache = 'error';
        if (!res.headersSent)
          plain(
            res,
            502,
            'the edge could not complete this request\n',
            cacheStatus({ fwd: 'miss', detail: 'edge-error' }),
          );
        else res.destroy();
      });
    }
  };
}

/**
 * Any method but GET/HEAD goes to the origin; a non-error answer to an unsafe one invalidates,
 * in every worker before the client sees the answer (so its next request, whichever worker
 * takes it, cannot be answered from what the method changed).
 */
async function passUnsafe(ctx: EdgeContext, exchange: Exchange): Promise<void> {
  if (!isUnsafeMethod(exchange.info.method)) {
    await forward(ctx, exchange, { fwd: 'method' });
    return;
  }
  await forward(ctx, exchange, { fwd: 'method' }, (status, headers) =>
    invalidateAfterUnsafe(ctx, exchange, status, headers),
  );
}

async function invalidateAfterUnsafe(
  ctx: EdgeContext,
  exchange: Exchange,
  status: number,
  headers: Parameters<typeof invalidatedUrls>[3],
): Promise<void> {
  const urls = invalidatedUrls(exchange.info.method, exchange.url, status, headers);
  if (urls.length === 0) return;
  const policy = policiesOf(exchange.site).query;
  const paths = urls.map((url) =>
    pathForPurge(cacheKey('GET', url, policy), url.pathname + url.search),
  );
  await ctx.tier
    .purgeEverywhere({ site: exchange.site.id, kind: 'url', values: paths, mode: 'hard' })
    .catch((error: unknown) =>
      ctx.observer.logger.warn({ err: error, paths }, 'invalidation after an unsafe method failed'),
    );
}

function cacheable(ctx: EdgeContext, exchange: Exchange): Promise<void> | undefined {
  const { req, site } = exchange;
  if (site.cache.cookies === 'bypass' && req.headers.cookie !== undefined) {
    return forward(ctx, exchange, { fwd: 'bypass', detail: 'cookie' }).then(() => {});
  }
  const key = exchange.key;
  const object = ctx.memory.get(key);
  if (object !== undefined) {
    const variant = selectVariant(object, req.headers);
    // The hit path: a fresh variant and a request without Cache-Control or Pragma is answered
    // from the numbers the library's decision gave at store time (see variants.ts withFastPath).
    if (
      variant?.fast !== undefined &&
      variant.invalidatedAt === undefined &&
      req.headers['cache-control'] === undefined &&
      req.headers.pragma === undefined
    ) {
      const ageMs = variant.fast.initialAgeMs + (Date.now() - variant.responseTime);
      const ttlMs = variant.fast.lifetimeMs - ageMs;
      if (ttlMs > 0) {
        exchange.cache = 'hit';
        return serveStored(ctx, exchange, object, variant, { ageMs, ttlMs }) ?? undefined;
      }
    }
    if (variant !== undefined && ctx.tier.shared)
      return answerFromLocal(ctx, exchange, key, object, variant);
    return answer(ctx, exchange, key, object, variant);
  }
  // Not in this process. A GET asks the shared tier for the object and its fill lock in one
  // round trip (collapsedFill); HEAD and only-if-cached only look.
  if (
    exchange.info.method === 'GET' &&
    !/only-if-cached/i.test(String(req.headers['cache-control'] ?? ''))
  ) {
    return collapsedFill(ctx, exchange, key, { fwd: 'uri-miss' });
  }
  return ctx.tier.lookup(key).then((shared) => {
    if (shared !== undefined) ctx.memory.set(key, shared);
    return answer(ctx, exchange, key, shared, shared && selectVariant(shared, req.headers));
  });
}

/**
 * Our copy is not a plain fresh hit. Another worker may have refreshed it (after expiry or a
 * soft purge) into the shared store: take that copy if it is newer before going forward.
 */
async function answerFromLocal(
  ctx: EdgeContext,
  exchange: Exchange,
  key: string,
  object: CachedObject,
  variant: StoredVariant,
): Promise<void> {
  const decision = decideServe(exchange.info, variant, Date.now(), policiesOf(exchange.site).cache);
  if (decision.kind !== 'fresh') {
    const shared = await ctx.tier.lookup(key);
    const newer = shared && selectVariant(shared, exchange.req.headers);
    if (shared !== undefined && newer !== undefined && newer.responseTime > variant.responseTime) {
      ctx.memory.set(key, shared);
      return answer(ctx, exchange, key, shared, newer);
    }
  }
  return answer(ctx, exchange, key, object, variant);
}

async function answer(
  ctx: EdgeContext,
  exchange: Exchange,
  key: string,
  object: CachedObject | undefined,
  variant: StoredVariant | undefined,
  /** collapsed: it arrived by waiting on another request's fill; shared: from the shared tier. */
  via: 'local' | 'collapsed' | 'shared' = 'local',
): Promise<void> {
  const collapsed = via === 'collapsed';
  const policy = policiesOf(exchange.site).cache;
  if (object !== undefined && variant !== undefined) {
    const decision = decideServe(exchange.info, variant, Date.now(), policy);
    const timing = { ageMs: decision.ageMs, ttlMs: decision.ttlMs };
    switch (decision.kind) {
      case 'fresh':
        exchange.cache = collapsed ? 'collapsed' : 'hit';
        return serveStored(ctx, exchange, object, variant, {
          ...timing,
          omitFields: decision.omitFields,
          ...(collapsed ? { status: { fwd: 'miss', collapsed: true } } : {}),
        });
      case 'stale-allowed':
        exchange.cache = 'stale';
        return serveStored(ctx, exchange, object, variant, {
          ...timing,
          omitFields: decision.omitFields,
          status: { hit: true, detail: 'max-stale' },
        });
      case 'stale-while-revalidate':
        exchange.cache = 'stale';
        revalidateInBackground(ctx, exchange, key, object, variant, decision.conditionalHeaders);
        return serveStored(ctx, exchange, object, variant, {
          ...timing,
          omitFields: decision.omitFields,
          status: { hit: true, detail: 'stale-while-revalidate' },
        });
      case 'gateway-timeout':
        exchange.cache = 'none';
        return plain(
          exchange.res,
          504,
          'not in cache (only-if-cached)\n',
          cacheStatus({ fwd: 'request', detail: 'only-if-cached' }),
        );
      case 'revalidate':
        return collapsedFill(ctx, exchange, key, {
          stale: { object, variant, conditional: decision.conditionalHeaders },
        });
    }
  }
  if (/only-if-cached/i.test(String(exchange.req.headers['cache-control'] ?? ''))) {
    return plain(
      exchange.res,
      504,
      'not in cache (only-if-cached)\n',
      cacheStatus({ fwd: 'request', detail: 'only-if-cached' }),
    );
  }
  // An object that came from a fill we waited on or from the shared tier, without a variant for
  // this request: fetch it now (going round collapsedFill again would only find that object again).
  if (via !== 'local')
    return fill(ctx, exchange, { key, fwd: object ? 'vary-miss' : 'uri-miss', lead: false });
  return collapsedFill(ctx, exchange, key, { fwd: object ? 'vary-miss' : 'uri-miss' });
}

/**
 * Concurrent misses for one key wait for the first one's fill, then answer from what it stored;
 * when it stored nothing they can use, each goes to the origin itself. Across processes the
 * shared tier's fill lock does the same.
 */
async function collapsedFill(
  ctx: EdgeContext,
  exchange: Exchange,
  key: string,
  how: { fwd?: 'uri-miss' | 'vary-miss'; stale?: Parameters<typeof fill>[2]['stale'] },
): Promise<void> {
  const fwd = how.stale !== undefined ? 'stale' : (how.fwd ?? 'uri-miss');
  // A HEAD never fills: it would only learn headers.
  if (exchange.info.method === 'HEAD')
    return fill(ctx, exchange, { key, fwd, lead: false, stale: how.stale });
  const running = ctx.inflight.get(key);
  if (running !== undefined) {
    await running.done;
    let object = ctx.memory.get(key);
    if (object === undefined && running.object !== undefined) {
      // A worker thread's fill is held by the primary only; asked for again, this thread keeps it.
      object = running.object;
      ctx.memory.set(key, object);
    }
    return answer(
      ctx,
      exchange,
      key,
      object,
      object && selectVariant(object, exchange.req.headers),
      'collapsed',
    );
  }
  let finished: () => void = () => {};
  ctx.inflight.set(key, {
    done: new Promise<void>((resolve) => {
      finished = resolve;
    }),
  });
  try {
    // A revalidation takes the shared fill lock too, so other workers' revalidations of the same
    // stale copy wait for its answer (within this worker, `inflight` above does the same).
    const staleResponseTime = how.stale?.variant.responseTime;
    if (how.stale !== undefined && !ctx.tier.shared) {
      await fill(ctx, exchange, { key, fwd, lead: false, stale: how.stale });
      return;
    }
    const lock = await ctx.tier.acquire(key, staleResponseTime);
    if (!lock.lead && lock.object !== undefined) {
      ctx.memory.set(key, lock.object);
      const variant = selectVariant(lock.object, exchange.req.headers);
      // A revalidation answers from the shared copy only if this request's variant was refreshed
      // there (another variant may be what is newer); otherwise it revalidates itself.
      const refreshed =
        staleResponseTime === undefined ||
        (variant !== undefined && variant.responseTime > staleResponseTime);
      if (refreshed) {
        finished();
        ctx.inflight.delete(key);
        return answer(
          ctx,
          exchange,
          key,
          lock.object,
          variant,
          lock.waited ? 'collapsed' : 'shared',
        );
      }
      await fill(ctx, exchange, { key, fwd, lead: false, stale: how.stale });
      return;
    }
    await fill(ctx, exchange, { key, fwd, lead: lock.lead, stale: how.stale });
  } finally {
    if (ctx.inflight.get(key) !== undefined) ctx.inflight.delete(key);
    finished();
  }
}

function revalidateInBackground(
  ctx: EdgeContext,
  exchange: Exchange,
  key: string,
  object: CachedObject,
  variant: StoredVariant,
  conditional: Readonly<Record<string, string>>,
): void {
  if (ctx.revalidating.has(key)) return;
  ctx.revalidating.add(key);
  // One process revalidates for the whole edge: the shared tier hands out the claim.
  ctx.tier
    .claimRevalidation(key, variant.responseTime)
    .then((claimed) =>
      claimed
        ? fill(ctx, exchange, {
            key,
            fwd: 'stale',
            lead: true,
            background: true,
            stale: { object, variant, conditional },
          })
        : undefined,
    )
    .catch((error: unknown) =>
      ctx.observer.logger.warn({ err: error, key }, 'background revalidation failed'),
    )
    .finally(() => ctx.revalidating.delete(key));
}
