// The bytes of a plain fresh hit, as node:http would write them for serve-stored.ts's
// `res.writeHead(status, [...wireHeaders, 'age', age, 'cache-status', value]); res.end(body)`:
// status line, the same field lines in the same order, Date when the stored response has none,
// `Connection: keep-alive` and `Keep-Alive: timeout=N`, the blank line, the body. The head is
// built once per variant, coding and (age, ttl) second and kept beside the variant.
import { STATUS_CODES } from 'node:http';
import { ageHeaderValue } from '../../lib/http-cache/index.ts';
import { appendCacheStatus, hitStatus } from '../cache-status.ts';
import { wireHeaders } from '../representation.ts';
import type { ContentCoding, StoredVariant } from '../store/entry.ts';
import { ownedCopy } from '../store/owned-bytes.ts';
import {
  dateLine as currentDateLine,
  httpToken,
  invalidValueChar,
  keepAliveLines,
} from './node-http-head.ts';

/** Response fields that make node:http change its framing or persistence: not served fast. */
const framingFields = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'trailer',
  'expect',
]);
// node:http's own checks (node-http-head.ts), so a field it would refuse to write never goes out
// by the fast path either.
/** Tested after invalidValueChar, so any char past ASCII is obs-text. */
const nonAscii = /[\x80-\xff]/;

interface BuiltHead {
  coding: ContentCoding;
  ageSeconds: number;
  ttlSeconds: number;
  /** The Date line when the stored response has none (node:http adds one), else ''. */
  dateLine: string;
  keepAliveTimeoutMs: number;
  head: Buffer;
  /** Head and body in one buffer (one write, no per-hit copy), made on first use; see wholeOf. */
  whole?: Buffer | undefined;
}

const heads = new WeakMap<StoredVariant, BuiltHead[]>();
/** Variants whose stored fields node:http would frame or refuse differently: never fast. */
const unsuitable = new WeakSet<StoredVariant>();

/**
 * The head for a hit on `variant` with `body` in `coding` at `nowMs`, with the Age and ttl the
 * full handler would compute; undefined when the variant is not fresh by its precomputed
 * numbers or node:http would write its fields differently.
 */
export type HitHead = BuiltHead;

export function hitHead(
  variant: StoredVariant,
  coding: ContentCoding,
  body: Buffer,
  compressible: boolean,
  nowMs: number,
  /** The server's keepAliveTimeout, which node:http announces in Keep-Alive. */
  keepAliveTimeoutMs: number,
): HitHead | undefined {
  const fast = variant.fast;
  if (fast === undefined || variant.invalidatedAt !== undefined) return undefined;
  const ageMs = fast.initialAgeMs + (nowMs - variant.responseTime);
  const ttlMs = fast.lifetimeMs - ageMs;
  if (!(ttlMs > 0)) return undefined;
  const ageSeconds = Math.floor(ageMs / 1000);
  const ttlSeconds = Math.trunc(ttlMs / 1000);
  let built = heads.get(variant);
  if (built !== undefined) {
    for (const one of built) {
      if (one.coding !== coding || one.ageSeconds !== ageSeconds || one.ttlSeconds !== ttlSeconds)
        continue;
      if (one.dateLine !== '' && one.dateLine !== currentDateLine(nowMs)) continue;
      if (one.keepAliveTimeoutMs !== keepAliveTimeoutMs) continue;
      return one;
    }
  }
  if (unsuitable.has(variant)) return undefined;
  const status = variant.status;
  // No body on these: node:http frames them itself.
  if (status < 200 || status === 204 || status === 304) return markUnsuitable(variant);
  const fields = wireHeaders(variant, coding, body.length, compressible);
  const cacheStatusValue = appendCacheStatus(
    variant.headers['cache-status'] === undefined
      ? undefined
      : String(variant.headers['cache-status']),
    hitStatus(ttlSeconds),
  );
  if (invalidValueChar.test(cacheStatusValue)) return markUnsuitable(variant);
  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
  let hasDate = false;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    const value = fields[i + 1] as string;
    const lower = name.toLowerCase();
    if (
      framingFields.has(lower) ||
      !httpToken.test(name) ||
      invalidValueChar.test(value) ||
      // node:http re-encodes this one when Content-Length is set (RFC 6266): leave it to node.
      (lower === 'content-disposition' && nonAscii.test(value))
    )
      return markUnsuitable(variant);
    if (lower === 'date') hasDate = true;
    text += `${name}: ${value}\r\n`;
  }
  text += `age: ${ageHeaderValue(ageMs)}\r\ncache-status: ${cacheStatusValue}\r\n`;
  const dateLine = hasDate ? '' : currentDateLine(nowMs);
  text += `${dateLine}${keepAliveLines(keepAliveTimeoutMs)}\r\n`;
  // Memory of its own: the head lives as long as the variant, and a slice of Node's shared pool
  // would keep its whole 64 KiB slab alive (store/owned-bytes.ts).
  const head = Buffer.allocUnsafeSlow(text.length);
  head.write(text, 0, 'latin1');
  const entry: BuiltHead = {
    coding,
    ageSeconds,
    ttlSeconds,
    dateLine,
    keepAliveTimeoutMs,
    head,
  };
  // One head per coding is kept: a newer second replaces the older one.
  built = (built ?? []).filter((one) => one.coding !== coding);
  built.push(entry);
  heads.set(variant, built);
  return entry;
}

/**
 * Copies made for hits, held on top of the cache's own bytes by each traffic thread: joined
 * head+body buffers, and with zero-copy sends half of it for body files (zero-copy/body-files.ts).
 */
export const hitCopiesBudgetBytes = 32 * 1024 * 1024;
/** Bodies above this go out as head + body (a writev), never joined. */
const wholeMaxBytes = 1024 * 1024;
let wholeBytes = 0;
const withWhole = new Set<BuiltHead>();

/** Bytes of the joined head+body buffers held now (within the budget wholeOf was given). */
export function joinedBytesHeld(): number {
  return wholeBytes;
}

/**
 * The head and `body` in one buffer, kept with the head; undefined for large bodies. Past
 * `budgetBytes` of them every one held is let go, and they are made again on demand.
 */
export function wholeOf(built: HitHead, body: Buffer, budgetBytes: number): Buffer | undefined {
  if (built.whole !== undefined) return built.whole;
  if (body.length > wholeMaxBytes) return undefined;
  const size = built.head.length + body.length;
  if (wholeBytes + size > budgetBytes) {
    for (const one of withWhole) one.whole = undefined;
    withWhole.clear();
    wholeBytes = 0;
  }
  const whole = ownedCopy([built.head, body], size);
  built.whole = whole;
  withWhole.add(built);
  wholeBytes += size;
  return whole;
}

function markUnsuitable(variant: StoredVariant): undefined {
  unsuitable.add(variant);
  return undefined;
}
