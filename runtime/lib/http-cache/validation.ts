/**
 * Validation (RFC 9111 §4.3): the conditional request the edge sends to revalidate, which stored
 * responses a 304 applies to (§4.3.4), and the header update it makes (§3.2).
 */
import {
  type EntityTag,
  formatEntityTag,
  parseEntityTag,
  strongMatch,
  weakMatch,
} from './entity-tag.ts';
import { copyHeaders, fieldLines, type HeaderMap, type MutableHeaders } from './headers.ts';
import { stripHopByHop } from './hop-by-hop.ts';
import { parseHttpDate } from './http-date.ts';
import type { ResponseInfo, StoredResponse } from './stored-response.ts';

/** The stored response's ETag, if it has a parseable one. */
export function entityTagOf(headers: HeaderMap): EntityTag | undefined {
  const line = fieldLines(headers, 'etag')[0];
  return line === undefined ? undefined : parseEntityTag(line);
}

/**
 * Headers that turn a forwarded GET into a revalidation of the given stored response(s):
 * If-None-Match with every stored ETag, and If-Modified-Since with the Last-Modified when a
 * single stored response is validated (RFC 9111 §4.3.1; sent beside If-None-Match, which an
 * origin then prefers, so one without ETag support can still answer 304). Empty when nothing
 * can be validated.
 */
export function conditionalRequestHeaders(
  stored: HeaderMap | readonly HeaderMap[],
): Record<string, string> {
  const list: readonly HeaderMap[] = Array.isArray(stored) ? stored : [stored as HeaderMap];
  const headers: Record<string, string> = {};
  const tags = new Set<string>();
  for (const h of list) {
    const tag = entityTagOf(h);
    if (tag) tags.add(formatEntityTag(tag));
  }
  if (tags.size > 0) headers['if-none-match'] = [...tags].join(', ');
  const single = list.length === 1 ? list[0] : undefined;
  const lastModified = single === undefined ? undefined : fieldLines(single, 'last-modified')[0];
  if (lastModified !== undefined && parseHttpDate(lastModified) !== undefined) {
    headers['if-modified-since'] = lastModified;
  }
  return headers;
}

/**
 * The Last-Modified time when it is a strong validator (RFC 9110 §8.8.2.2): at least 60 s
 * older than Date. Undefined otherwise.
 */
export function strongLastModified(headers: HeaderMap): number | undefined {
  const lm = fieldLines(headers, 'last-modified')[0];
  const date = fieldLines(headers, 'date')[0];
  const lmMs = lm === undefined ? undefined : parseHttpDate(lm);
  const dateMs = date === undefined ? undefined : parseHttpDate(date);
  if (lmMs === undefined || dateMs === undefined || dateMs - lmMs < 60_000) return undefined;
  return lmMs;
}

function lastModifiedOf(headers: HeaderMap): number | undefined {
  const lm = fieldLines(headers, 'last-modified')[0];
  return lm === undefined ? undefined : parseHttpDate(lm);
}

/**
 * Which stored responses a 304 (or a HEAD response) updates (RFC 9111 §4.3.4), as indexes into
 * `candidates`:
 * - if it carries a strong validator (strong ETag, or a strong Last-Modified), every stored
 *   response with the same strong validator;
 * - else if it carries weak validators, the most recent stored response matching them;
 * - else if it carries none, the only stored response, provided that one has no validator;
 *   or `validated`, the stored response whose validators the cache's own conditional request
 *   carried: the RFC's rule is written for conditionals "from a source other than the cache's
 *   stored response", and a validator-less 304 to ours can only mean that response is current
 *   (origins often leave ETag out of a 304, though RFC 9110 §15.4.5 asks for it).
 * An empty result means the 304 must not update anything (the caller refetches unconditionally).
 */
export function selectNotModifiedTargets(
  notModified: HeaderMap,
  candidates: readonly StoredResponse[],
  validated?: number,
): number[] {
  const tag = entityTagOf(notModified);
  const strongLm = strongLastModified(notModified);
  if ((tag && !tag.weak) || strongLm !== undefined) {
    const selected: number[] = [];
    candidates.forEach((c, i) => {
      const storedTag = entityTagOf(c.headers);
      const byTag = tag && !tag.weak && storedTag !== undefined && strongMatch(tag, storedTag);
      const byLm = strongLm !== undefined && strongLastModified(c.headers) === strongLm;
      if (byTag || byLm) selected.push(i);
    });
    return selected;
  }
  const lm = lastModifiedOf(notModified);
  if (tag || lm !== undefined) {
    let best = -1;
    candidates.forEach((c, i) => {
      const storedTag = entityTagOf(c.headers);
      const matches =
        (tag !== undefined && storedTag !== undefined && weakMatch(tag, storedTag)) ||
        (tag === undefined && lm !== undefined && lastModifiedOf(c.headers) === lm);
      const current = candidates[best];
      if (matches && (current === undefined || c.responseTime > current.responseTime)) best = i;
    });
    return best < 0 ? [] : [best];
  }
  if (validated !== undefined && candidates[validated] !== undefined) return [validated];
  const only = candidates[0];
  if (
    candidates.length === 1 &&
    only &&
    !entityTagOf(only.headers) &&
    lastModifiedOf(only.headers) === undefined
  ) {
    return [0];
  }
  return [];
}

/** Fields a 304 never overwrites in the stored response (RFC 9111 §3.2). */
export const NOT_UPDATED_FIELDS: readonly string[] = ['content-length', 'content-range'];

/**
 * The stored response freshened by a 304 (or HEAD) response (RFC 9111 §3.2, §4.3.4): each field
 * of the new response replaces the stored one, except hop-by-hop fields, Content-Length and any
 * `protectedFields` (e.g. `content-encoding` for a variant the edge compressed itself); the body is
 * kept. Age is taken from the new response or dropped, and the request/response times become the
 * revalidation's, so the current age restarts from the validation.
 */
export function freshenStoredResponse(
  stored: StoredResponse,
  notModified: ResponseInfo,
  requestTime: number,
  responseTime: number,
  protectedFields: readonly string[] = [],
): StoredResponse {
  const incoming = stripHopByHop(notModified.headers);
  const headers: MutableHeaders = copyHeaders(stored.headers);
  const keep = new Set([...NOT_UPDATED_FIELDS, ...protectedFields.map((f) => f.toLowerCase())]);
  for (const [name, value] of Object.entries(incoming)) {
    if (!keep.has(name)) headers[name] = value;
  }
  if (incoming.age === undefined) delete headers.age;
  if (incoming.date === undefined) delete headers.date;
  return { status: stored.status, headers, requestTime, responseTime };
}

/**
 * What a 200 response to a HEAD request does to a stored GET response that could have answered
 * it (RFC 9111 §4.3.5): `freshen` (apply `freshenStoredResponse`) when every validator the HEAD
 * response carries (ETag, Last-Modified) matches the stored one and its Content-Length, if any,
 * matches too; otherwise `mark-stale`.
 */
export function headResponseEffect(stored: HeaderMap, head: HeaderMap): 'freshen' | 'mark-stale' {
  for (const name of ['etag', 'last-modified', 'content-length']) {
    const value = fieldLines(head, name)[0];
    if (value === undefined) continue;
    const storedValue = fieldLines(stored, name)[0];
    if (storedValue === undefined || storedValue.trim() !== value.trim()) return 'mark-stale';
  }
  return 'freshen';
}
