/**
 * Primary cache keys (RFC 9111 §2): method plus a normalised target URI. Scheme and host are
 * lower-cased and default ports dropped (by the WHATWG URL parser, which also resolves dot
 * segments and percent-encodes what must be); the query string is handled by the site's
 * policy. GET and HEAD share a key: a stored GET answers a HEAD.
 */
import { BoundedMemo } from './memo.ts';

/** How a site treats the query string in cache keys. */
export type QueryPolicy =
  | { readonly mode: 'keep' }
  | { readonly mode: 'sort' }
  | { readonly mode: 'drop' }
  | { readonly mode: 'allowlist'; readonly params: readonly string[] };

export const KEEP_QUERY: QueryPolicy = { mode: 'keep' };

/**
 * The absolute URL of a request, or undefined when the Host or target is not usable (the
 * caller answers 400). `target` is the request-target (origin-form or absolute-form).
 */
export function requestUrl(
  scheme: 'http' | 'https',
  host: string,
  target: string,
): URL | undefined {
  if (!host || /[\s/\\?#@]/.test(host)) return undefined;
  try {
    if (/^https?:\/\//i.test(target)) return new URL(target);
    if (!target.startsWith('/')) return undefined;
    return new URL(`${scheme}://${host}${target}`);
  } catch {
    return undefined;
  }
}

function decodeName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The query string (without `?`) under a policy. Pairs keep their original encoding; `sort`
 * orders by decoded name (stable, so repeated names keep their order: `a=2&a=1` stays
 * distinct from `a=1&a=2`); empty pairs are dropped.
 */
export function normaliseQuery(search: string, policy: QueryPolicy): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (policy.mode === 'drop') return '';
  if (policy.mode === 'keep' || query === '') return query;
  const policyKey = policy.mode === 'sort' ? 's' : JSON.stringify(policy.params);
  return QUERIES.get(`${policyKey}\n${query}`, () => rewriteQuery(query, policy));
}

// Hot URLs repeat: sort or filter each distinct query string once.
const QUERIES = new BoundedMemo<string>();

function rewriteQuery(query: string, policy: QueryPolicy): string {
  const pairs = query.split('&').filter((p) => p !== '');
  if (policy.mode === 'sort') {
    return pairs
      .map((pair, index) => ({ pair, name: decodeName(pair), index }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index))
      .map((p) => p.pair)
      .join('&');
  }
  const allowed = new Set(policy.mode === 'allowlist' ? policy.params : []);
  return pairs.filter((pair) => allowed.has(decodeName(pair))).join('&');
}

/**
 * Percent-encoding normalisation (RFC 3986 §6.2.2.1-2): escapes of unreserved characters are
 * decoded (`%7E` -> `~`) and other escapes get upper-case hex (`%2f` -> `%2F`); both forms name
 * the same resource.
 */
export function normalisePercentEncoding(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/%[0-9a-fA-F]{2}/g, (triplet) => {
    const ch = String.fromCharCode(Number.parseInt(triplet.slice(1), 16));
    return /[A-Za-z0-9\-._~]/.test(ch) ? ch : triplet.toUpperCase();
  });
}

/**
 * The normalised absolute URL used in keys: no fragment, no userinfo, percent-encoding
 * normalised, query per policy.
 */
export function normaliseUrl(url: URL | string, policy: QueryPolicy = KEEP_QUERY): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const query = normalisePercentEncoding(normaliseQuery(u.search, policy));
  return `${u.protocol}//${u.host}${normalisePercentEncoding(u.pathname)}${query ? `?${query}` : ''}`;
}

/**
 * The primary cache key: `<METHOD> <normalised URL>`, with HEAD keyed as GET. Any other method
 * keeps its own name (only GET responses are stored, but invalidation uses keys too).
 */
export function cacheKey(
  method: string,
  url: URL | string,
  policy: QueryPolicy = KEEP_QUERY,
): string {
  const m = method.toUpperCase();
  return `${m === 'HEAD' ? 'GET' : m} ${normaliseUrl(url, policy)}`;
}
