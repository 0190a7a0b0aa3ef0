// The request headers the edge sends to a tenant origin: hop-by-hop fields removed (RFC 9110
// §7.6.1), Host set to the origin's, X-Forwarded-For/-Proto/-Host and Via added.
import type { IncomingHttpHeaders } from 'node:http';
import { hopByHopFieldNames } from '../lib/http-cache/index.ts';

export const viaToken = '1.1 edgeplane';

export interface ForwardOptions {
  /** host[:port] of the origin URL. */
  originHost: string;
  clientAddress: string | undefined;
  /** Header names (lower-case) not to forward, e.g. range on a cache fill. */
  drop?: readonly string[];
  /** Headers to add or replace, e.g. conditionals of a revalidation. */
  set?: Record<string, string>;
}

/** Fields the edge sets itself, so the client's copies are not forwarded. */
const replacedFields = ['host', 'x-forwarded-host', 'x-forwarded-proto'];

/** The drop sets of requests whose Connection names nothing extra, per `drop` list (constants). */
const commonDrops = new WeakMap<readonly string[], ReadonlySet<string>>();
const noFields: readonly string[] = [];

function droppedFields(headers: IncomingHttpHeaders, options: ForwardOptions): ReadonlySet<string> {
  const hopByHop = hopByHopFieldNames(headers);
  const extra = options.drop ?? noFields;
  const common = hopByHop === hopByHopFieldNames({}) && options.set === undefined;
  if (common) {
    const known = commonDrops.get(extra);
    if (known !== undefined) return known;
  }
  const drop = new Set([...hopByHop, ...replacedFields, ...extra]);
  if (options.set) for (const name of Object.keys(options.set)) drop.add(name);
  if (common) commonDrops.set(extra, drop);
  return drop;
}

/** Builds the flat [name, value...] header list undici sends upstream. */
export function forwardRequestHeaders(
  rawHeaders: readonly string[],
  headers: IncomingHttpHeaders,
  options: ForwardOptions,
): string[] {
  const drop = droppedFields(headers, options);

  const out: string[] = ['host', options.originHost];
  let forwardedFor: string | undefined;
  let via: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (drop.has(name)) continue;
    if (name === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      continue;
    }
    if (name === 'via') {
      via = via === undefined ? value : `${via}, ${value}`;
      continue;
    }
    out.push(name, value);
  }
  const client = options.clientAddress?.startsWith('::ffff:')
    ? options.clientAddress.slice(7)
    : options.clientAddress;
  if (client !== undefined) {
    out.push('x-forwarded-for', forwardedFor === undefined ? client : `${forwardedFor}, ${client}`);
  } else if (forwardedFor !== undefined) {
    out.push('x-forwarded-for', forwardedFor);
  }
  // The traffic listener is plain HTTP; TLS ends at the ingress in front of it, which says so in
  // X-Forwarded-Proto. Only the two meaningful values pass; anything else reads as http.
  const proto =
    typeof headers['x-forwarded-proto'] === 'string' ? headers['x-forwarded-proto'] : '';
  out.push('x-forwarded-proto', proto === 'https' ? 'https' : 'http');
  if (headers.host !== undefined) out.push('x-forwarded-host', headers.host);
  out.push('via', via === undefined ? viaToken : `${via}, ${viaToken}`);
  if (options.set) for (const [name, value] of Object.entries(options.set)) out.push(name, value);
  return out;
}
