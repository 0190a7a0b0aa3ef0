import { fieldList, type HeaderMap, type MutableHeaders } from './headers.ts';

/**
 * Connection-specific fields (RFC 9110 §7.6.1) plus the legacy ones proxies must also drop.
 * `proxy-authenticate`/`proxy-authorization` are hop-by-hop for a proxy too.
 */
export const HOP_BY_HOP_FIELDS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

const FIXED: ReadonlySet<string> = new Set(HOP_BY_HOP_FIELDS);

/**
 * The hop-by-hop field names of a message: the fixed list plus every name listed in Connection.
 * The usual `Connection: keep-alive` names nothing new, so the fixed set itself is returned then
 * (no Set built per message).
 */
export function hopByHopFieldNames(headers: HeaderMap): ReadonlySet<string> {
  if (headers.connection === undefined) return FIXED;
  let names: Set<string> | undefined;
  for (const name of fieldList(headers, 'connection')) {
    const lower = name.toLowerCase();
    if (FIXED.has(lower)) continue;
    names ??= new Set(HOP_BY_HOP_FIELDS);
    names.add(lower);
  }
  return names ?? FIXED;
}

/**
 * A copy of `headers` without hop-by-hop fields, for storing and for forwarding in either
 * direction. `close` in Connection names no field and is simply dropped with Connection itself.
 */
export function stripHopByHop(headers: HeaderMap): MutableHeaders {
  const drop = hopByHopFieldNames(headers);
  const out: MutableHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (!drop.has(lower)) out[lower] = typeof value === 'object' ? [...value] : value;
  }
  return out;
}
