// A strict scanner for HTTP/1.x response heads (RFC 9112 §4, §5) fed socket reads that may split
// anywhere. It finds the blank line, then checks and splits the head in one pass over a latin1
// string: `HTTP/1.x NNN reason`, field names as tokens, no whitespace before the colon, no
// obs-fold, no bare CR or LF, no control characters in values. Anything else is a malformed
// response: the caller fails the request and destroys the connection.

export interface ResponseHead {
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  versionMinor: number;
  status: number;
  reason: string;
  /** Field lines in order: lower-case name, value (without surrounding whitespace), ... */
  fields: string[];
}

export interface HeadLimits {
  /** Bytes up to and including the blank line. */
  maxHeadBytes: number;
  maxFields: number;
}

export const defaultHeadLimits: HeadLimits = { maxHeadBytes: 64 * 1024, maxFields: 256 };

export class MalformedResponseError extends Error {
  readonly code = 'EDGEPLANE_MALFORMED_RESPONSE';
  constructor(message: string) {
    super(`malformed origin response: ${message}`);
    this.name = 'MalformedResponseError';
  }
}

const statusLine = /^HTTP\/1\.([01]) ([1-9][0-9][0-9])(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// field-value: VCHAR, obs-text, SP and HTAB; anything else (NUL, CR, LF, other controls) is refused.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const badValueCharacter = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * Accumulates reads until a head is complete. push() returns the head and `next`, the index in
 * the given chunk just past it, or undefined when more bytes are needed; it throws
 * MalformedResponseError.
 */
export class ResponseHeadScanner {
  private readonly limits: HeadLimits;
  private pending: Buffer | undefined;

  constructor(limits: HeadLimits = defaultHeadLimits) {
    this.limits = limits;
  }

  /** True while part of a head has been received. */
  get started(): boolean {
    return this.pending !== undefined;
  }

  reset(): void {
    this.pending = undefined;
  }

  push(chunk: Buffer, start = 0): { head: ResponseHead; next: number } | undefined {
    const before = this.pending?.length ?? 0;
    const data =
      this.pending === undefined
        ? start === 0
          ? chunk
          : chunk.subarray(start)
        : Buffer.concat([this.pending, chunk.subarray(start)]);
    const end = findBlankLine(data, Math.max(0, before - 3));
    if (end < 0) {
      if (data.length > this.limits.maxHeadBytes)
        throw new MalformedResponseError('head too large');
      this.pending = data === chunk ? Buffer.from(data) : data;
      return undefined;
    }
    if (end > this.limits.maxHeadBytes) throw new MalformedResponseError('head too large');
    this.pending = undefined;
    return {
      head: parseHead(data.toString('latin1', 0, end - 4), this.limits),
      next: start + end - before,
    };
  }
}

/** Index just past the first CRLF CRLF at or after `from`, or -1. */
function findBlankLine(data: Buffer, from: number): number {
  const at = data.indexOf('\r\n\r\n', from, 'latin1');
  return at < 0 ? -1 : at + 4;
}

function parseHead(text: string, limits: HeadLimits): ResponseHead {
  // Only CRLF ends a line: a bare CR or LF left inside a line after the split is refused below.
  const lines = text.split('\r\n');
  const first = statusLine.exec(lines[0] as string);
  if (first === null) throw new MalformedResponseError('bad status line');
  if (lines.length - 1 > limits.maxFields) throw new MalformedResponseError('too many fields');
  const fields: string[] = new Array((lines.length - 1) * 2);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      const first = line.charCodeAt(0);
      throw new MalformedResponseError(
        first === 32 || first === 9 ? 'obsolete line folding' : 'field line without a name',
      );
    }
    const name = line.slice(0, colon);
    if (!token.test(name)) throw new MalformedResponseError('bad field name');
    const value = trimWhitespace(line, colon + 1);
    if (badValueCharacter.test(value)) throw new MalformedResponseError('bad field value');
    fields[(i - 1) * 2] = name.toLowerCase();
    fields[(i - 1) * 2 + 1] = value;
  }
  return {
    versionMinor: first[1] === '1' ? 1 : 0,
    status: Number(first[2]),
    reason: first[3] ?? '',
    fields,
  };
}

function trimWhitespace(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && isWhitespace(line.charCodeAt(start))) start++;
  while (end > start && isWhitespace(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Fields as undici hands them over: lower-case names, a repeated name as an array of its values
 * in order (Set-Cookie and every other field alike).
 */
export function fieldRecord(fields: readonly string[]): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    const value = fields[i + 1] as string;
    const existing = Object.hasOwn(record, name) ? record[name] : undefined;
    if (existing === undefined) {
      // A field named __proto__ is an own property like any other, never the prototype.
      if (name === '__proto__')
        Object.defineProperty(record, name, { value, enumerable: true, writable: true });
      else record[name] = value;
    } else if (typeof existing === 'string') record[name] = [existing, value];
    else existing.push(value);
  }
  return record;
}
