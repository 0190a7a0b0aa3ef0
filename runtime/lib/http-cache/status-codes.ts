/** Status codes that are cacheable by default (RFC 9110 §15.1): heuristic freshness may apply. */
export const HEURISTICALLY_CACHEABLE_STATUS: ReadonlySet<number> = new Set([
  200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501,
]);

/**
 * Final status codes whose semantics the edge implements, so it may store them when the
 * response allows (and must-understand does not forbid). 206 and 304 are understood but never
 * stored as entries of their own: the edge stores complete responses and serves ranges from them.
 */
export const UNDERSTOOD_STATUS: ReadonlySet<number> = new Set([
  200, 203, 204, 300, 301, 302, 303, 307, 308, 400, 403, 404, 405, 410, 414, 421, 451, 500, 501,
  502, 503, 504,
]);
