/**
 * Invalidation by unsafe methods (RFC 9111 §4.4): a non-error response to an unsafe request
 * invalidates the target URI, and the Location and Content-Location URIs when they are on the
 * same origin (scheme, host and port) as the target.
 */
import { fieldLines, type HeaderMap } from './headers.ts';

/** Methods RFC 9110 §9.2.1 defines as safe; every other method, unknown ones too, is unsafe. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The absolute URLs whose stored responses must be invalidated after `method` on `targetUrl`
 * got a response with `status` and `responseHeaders`: none for safe methods or error statuses
 * (only 2xx and 3xx are non-error here); otherwise the target plus same-origin Location and
 * Content-Location, resolved against the target. Invalid URIs are skipped.
 */
export function invalidatedUrls(
  method: string,
  targetUrl: URL | string,
  status: number,
  responseHeaders: HeaderMap,
): URL[] {
  if (!isUnsafeMethod(method) || status < 200 || status >= 400) return [];
  const target = typeof targetUrl === 'string' ? new URL(targetUrl) : targetUrl;
  const urls = [target];
  for (const name of ['location', 'content-location']) {
    const value = fieldLines(responseHeaders, name)[0];
    if (value === undefined) continue;
    try {
      const resolved = new URL(value.trim(), target);
      if (resolved.origin === target.origin && !urls.some((u) => u.href === resolved.href)) {
        urls.push(resolved);
      }
    } catch {
      // An unparseable Location names nothing to invalidate.
    }
  }
  return urls;
}
