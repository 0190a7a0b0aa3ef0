// Whether a response was a cache hit of a given cache, from its Cache-Status header (RFC 9211):
// the cache's own member carries the `hit` parameter. Parsed with structured-headers, as the
// edge's tests read it.
import { parseList, Token } from 'structured-headers';

export function isHitOf(cacheName: string, cacheStatus: string | string[] | undefined): boolean {
  if (cacheStatus === undefined) return false;
  const text = Array.isArray(cacheStatus) ? cacheStatus.join(', ') : cacheStatus;
  let members: ReturnType<typeof parseList>;
  try {
    members = parseList(text);
  } catch {
    return false;
  }
  // The nearest cache appends its member last.
  const own = members.filter(([value]) => {
    const name = value instanceof Token ? value.toString() : value;
    return name === cacheName;
  });
  const last = own.at(-1);
  return last !== undefined && last[1].get('hit') === true;
}
