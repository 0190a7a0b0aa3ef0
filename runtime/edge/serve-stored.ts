// Answering from a stored variant: representation (compressed or not), client conditionals
// (304/412, RFC 9110 §13), Range (206/416 on the complete stored body), HEAD, Age and
// Cache-Status. On a plain hit this writes one pre-built header list and one Buffer.
import {
  ageHeaderValue,
  type CacheStatus,
  evaluatePreconditions,
  notModifiedHeaders,
  planRange,
} from '../lib/http-cache/index.ts';
import { appendCacheStatus, cacheStatus, hitStatus } from './cache-status.ts';
import type { EdgeContext } from './context.ts';
import type { Exchange } from './exchange.ts';
import { viaToken } from './forward-headers.ts';
import { compressedBody, isCompressible, negotiateCoding, wireHeaders } from './representation.ts';
import type { CachedObject, ContentCoding, StoredVariant } from './store/entry.ts';

export interface StoredAnswer {
  /** Cache-Status of this answer; undefined means a plain hit with `ttl`. */
  status?: CacheStatus;
  ageMs: number;
  ttlMs: number;
  /** Qualified no-cache fields to leave out (RFC 9111 §5.2.2.4). */
  omitFields?: readonly string[];
}

const conditionalFields = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since'];

function hasConditional(headers: Exchange['req']['headers']): boolean {
  for (const name of conditionalFields) if (headers[name] !== undefined) return true;
  return false;
}

export function serveStored(
  ctx: EdgeContext,
  exchange: Exchange,
  object: CachedObject,
  variant: StoredVariant,
  answer: StoredAnswer,
): void | Promise<void> {
  const compressible = isCompressible(exchange.site, variant, ctx.options.compressMinBytes);
  const coding: ContentCoding = compressible ? negotiateCoding(exchange.info.headers) : 'identity';
  if (coding === 'identity')
    return write(exchange, variant, coding, variant.body, compressible, answer);
  const ready = variant.compressed?.[coding];
  if (ready !== undefined) return write(exchange, variant, coding, ready, compressible, answer);
  return compressedBody(variant, coding).then((body) => {
    ctx.memory.resize(object.key);
    write(exchange, variant, coding, body, compressible, answer);
  });
}

function write(
  exchange: Exchange,
  variant: StoredVariant,
  coding: ContentCoding,
  body: Buffer,
  compressible: boolean,
  answer: StoredAnswer,
): void {
  const { res, req } = exchange;
  let headers = wireHeaders(variant, coding, body.length, compressible);
  if (answer.omitFields !== undefined && answer.omitFields.length > 0) {
    const omit = new Set(answer.omitFields);
    headers = headers.filter((_, i) =>
      i % 2 === 1 ? !omit.has(headers[i - 1] as string) : !omit.has(headers[i] as string),
    );
  }
  const ttl = Math.trunc(answer.ttlMs / 1000);
  const member =
    answer.status === undefined ? hitStatus(ttl) : cacheStatus({ ...answer.status, ttl });
  const statusValue = appendCacheStatus(
    variant.headers['cache-status'] === undefined
      ? undefined
      : String(variant.headers['cache-status']),
    member,
  );
  const age = ageHeaderValue(answer.ageMs);

  if (hasConditional(req.headers)) {
    const outcome = evaluatePreconditions(exchange.info, headerMapOf(headers), {
      status: variant.status,
      receivedAt: variant.responseTime,
    });
    if (outcome.kind !== 'none') {
      const status = outcome.kind === 'not-modified' ? 304 : 412;
      const out = status === 304 ? notModifiedHeaders(headerMapOf(headers)) : {};
      res.writeHead(status, { ...out, age, 'cache-status': statusValue, via: viaToken });
      res.end();
      return;
    }
  }

  if (req.headers.range !== undefined) {
    const plan = planRange(
      exchange.info,
      { status: variant.status, headers: headerMapOf(headers) },
      body.length,
    );
    if (plan.kind !== 'full') {
      const base = headers.filter(
        (_, i) => !['content-length', 'content-type'].includes(headers[i - (i % 2)] as string),
      );
      if (plan.kind === 'unsatisfiable') {
        res.writeHead(416, [
          ...base,
          'content-range',
          plan.contentRange,
          'content-length',
          '0',
          'age',
          age,
          'cache-status',
          statusValue,
        ]);
        res.end();
        return;
      }
      if (plan.kind === 'single') {
        const type = headerMapOf(headers)['content-type'];
        res.writeHead(206, [
          ...base,
          ...(type === undefined ? [] : ['content-type', type]),
          'content-range',
          plan.contentRange,
          'content-length',
          String(plan.contentLength),
          'age',
          age,
          'cache-status',
          statusValue,
        ]);
        exchange.bytes = plan.contentLength;
        if (req.method === 'HEAD') res.end();
        else res.end(body.subarray(plan.start, plan.end + 1));
        return;
      }
      res.writeHead(206, [
        ...base,
        'content-type',
        plan.contentType,
        'content-length',
        String(plan.contentLength),
        'age',
        age,
        'cache-status',
        statusValue,
      ]);
      exchange.bytes = plan.contentLength;
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      for (const part of plan.parts) {
        res.write(part.head);
        res.write(body.subarray(part.start, part.end + 1));
      }
      res.end(plan.tail);
      return;
    }
  }

  res.writeHead(variant.status, [...headers, 'age', age, 'cache-status', statusValue]);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  exchange.bytes = body.length;
  res.end(body);
}

/** A flat header list as a HeaderMap (repeated names become arrays), for library calls. */
function headerMapOf(headers: readonly string[]): Record<string, string | string[]> {
  const map: Record<string, string | string[]> = {};
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    const value = headers[i + 1] as string;
    const existing = map[name];
    if (existing === undefined) map[name] = value;
    else map[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return map;
}
