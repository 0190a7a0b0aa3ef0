/**
 * Reading header fields from Node's header shapes (IncomingHttpHeaders / OutgoingHttpHeaders):
 * values may be a string, an array of field lines, a number, or undefined. Names are lower-case.
 */

/** A header field value as Node represents it. */
export type HeaderValue = string | readonly string[] | number | undefined;

/** Lower-case field name to value; IncomingHttpHeaders and OutgoingHttpHeaders both fit. */
export type HeaderMap = { readonly [name: string]: HeaderValue };

/** A mutable header map with plain values, as this library returns them. */
export type MutableHeaders = Record<string, string | string[] | number>;

/** The field lines of `name` (lower-case), in order; empty when absent. */
export function fieldLines(headers: HeaderMap, name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  if (typeof value === 'number') return [String(value)];
  if (typeof value === 'string') return [value];
  return [...value];
}

/** The combined field value (lines joined with ", "), or undefined when absent. */
export function fieldValue(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined || typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.length === 0 ? undefined : value.join(', ');
}

/**
 * Splits a comma-separated list (RFC 9110 §5.6.1) into trimmed, non-empty members. Commas inside
 * quoted strings do not split.
 */
export function splitList(value: string): string[] {
  // Most fields are one member (`keep-alive`, `max-age=60`, `gzip`): no split array for those.
  if (!value.includes(',')) {
    const member = value.trim();
    return member ? [member] : [];
  }
  if (!value.includes('"')) {
    const members: string[] = [];
    for (const part of value.split(',')) {
      const member = part.trim();
      if (member) members.push(member);
    }
    return members;
  }
  const members: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (inQuotes) {
      current += ch;
      if (ch === '\\' && i + 1 < value.length) {
        current += value[++i];
      } else if (ch === '"') {
        inQuotes = false;
      }
    } else if (ch === '"') {
      inQuotes = true;
      current += ch;
    } else if (ch === ',') {
      const member = current.trim();
      if (member) members.push(member);
      current = '';
    } else {
      current += ch;
    }
  }
  const last = current.trim();
  if (last) members.push(last);
  return members;
}

/** The list members of field `name` across all of its lines. */
export function fieldList(headers: HeaderMap, name: string): string[] {
  // Read on every response (Connection, Cache-Control, Vary...): no intermediate line array and
  // no flatMap for the usual single line.
  const value = headers[name];
  if (value === undefined) return [];
  if (typeof value === 'string') return splitList(value);
  if (typeof value === 'number') return splitList(String(value));
  const members: string[] = [];
  for (const line of value) for (const member of splitList(line)) members.push(member);
  return members;
}

/** Copies a header map with lower-case names, dropping undefined values. */
export function copyHeaders(headers: HeaderMap): MutableHeaders {
  const out: MutableHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = typeof value === 'object' ? [...value] : value;
  }
  return out;
}

/** Removes one level of surrounding double quotes and unescapes quoted-pairs. */
export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}
