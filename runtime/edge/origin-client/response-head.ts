// A strict scanner for HTTP/1.x response heads (RFC 9112 §4, §5) fed socket reads that may split
// anywhere. It finds the blank line, then checks and splits the head in one pass over a latin1
// string straight into the field record the edge reads: `HTTP/1.x NNN reason`, field names as
// tokens, no whitespace before the colon, no obs-fold, no bare CR or LF, no control characters
// in values. Anything else is a malformed response: the caller fails the request and destroys
// the connection.

export interface ResponseHead {
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  versionMinor: number;
  status: number;
  reason: string;
  /**
   * Fields as undici hands them over: lower-case names, values without surrounding whitespace,
   * a repeated name as an array of its values in order (Set-Cookie and every other field alike).
   */
  headers: Record<string, string | string[]>;
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

// The reason phrase: HTAB, SP, VCHAR, obs-text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const badReasonCharacter = /[\x00-\x08\x0a-\x1f\x7f]/;
// field-value: VCHAR, obs-text, SP and HTAB; anything else (NUL, CR, LF, other controls) is refused.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const badValueCharacter = /[\x00-\x08\x0a-\x1f\x7f]/;
/** tchar (RFC 9110 §5.6.2) by character code, so a name is checked without a regex call. */
const isTokenCharacter = new Uint8Array(128);
for (const character of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  isTokenCharacter[character.charCodeAt(0)] = 1;

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
      // A copy unless `data` is already one (a concat): the chunk's memory is reused by the next read.
      this.pending = before === 0 ? Buffer.from(data) : data;
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
  // Only CRLF ends a line: a bare CR or LF left inside a line is refused by the name and value
  // checks. Lines are read in place (no array of line strings).
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = text.length;
  const statusEnd = lineEnd;
  const status = statusOf(text, statusEnd);
  const headers: Record<string, string | string[]> = {};
  let count = 0;
  while (lineEnd < text.length) {
    const start = lineEnd + 2;
    lineEnd = text.indexOf('\r\n', start);
    if (lineEnd < 0) lineEnd = text.length;
    if (++count > limits.maxFields) throw new MalformedResponseError('too many fields');
    let colon = start;
    while (colon < lineEnd) {
      const code = text.charCodeAt(colon);
      if (code === 58) break; // ':'
      if (code > 127 || isTokenCharacter[code] === 0) {
        if (colon === start && (code === 32 || code === 9))
          throw new MalformedResponseError('obsolete line folding');
        throw new MalformedResponseError('bad field name');
      }
      colon++;
    }
    if (colon === lineEnd || colon === start)
      throw new MalformedResponseError('field line without a name');
    let valueStart = colon + 1;
    let valueEnd = lineEnd;
    while (valueStart < valueEnd && isWhitespace(text.charCodeAt(valueStart))) valueStart++;
    while (valueEnd > valueStart && isWhitespace(text.charCodeAt(valueEnd - 1))) valueEnd--;
    const value = text.slice(valueStart, valueEnd);
    if (badValueCharacter.test(value)) throw new MalformedResponseError('bad field value');
    addField(headers, text.slice(start, colon).toLowerCase(), value);
  }
  return {
    versionMinor: text.charCodeAt(7) - 48,
    status,
    reason: statusEnd > 13 ? text.slice(13, statusEnd) : '',
    headers,
  };
}

/**
 * The status code of `HTTP/1.x NNN[ reason]` (first line ending at `lineEnd`): x is 0 or 1, NNN
 * is 100-999, the reason is HTAB, SP, VCHAR and obs-text. Read by character code: a regex with
 * captures here was ~0.7% of a miss.
 */
function statusOf(text: string, lineEnd: number): number {
  const minor = text.charCodeAt(7);
  const hundreds = text.charCodeAt(9) - 48;
  const tens = text.charCodeAt(10) - 48;
  const units = text.charCodeAt(11) - 48;
  if (
    lineEnd < 12 ||
    !text.startsWith('HTTP/1.', 0) ||
    (minor !== 48 && minor !== 49) ||
    text.charCodeAt(8) !== 32 ||
    !(hundreds >= 1 && hundreds <= 9 && tens >= 0 && tens <= 9 && units >= 0 && units <= 9) ||
    (lineEnd > 12 && text.charCodeAt(12) !== 32) ||
    (lineEnd > 13 && badReasonCharacter.test(text.slice(13, lineEnd)))
  )
    throw new MalformedResponseError('bad status line');
  return hundreds * 100 + tens * 10 + units;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Adds a field as undici hands fields over: a repeated name becomes an array of its values in
 * order (Set-Cookie and every other field alike).
 */
function addField(record: Record<string, string | string[]>, name: string, value: string): void {
  if (name === '__proto__') {
    // A field named __proto__ is an own property like any other, never the prototype.
    const own = Object.hasOwn(record, name) ? record[name] : undefined;
    Object.defineProperty(record, name, {
      value: own === undefined ? value : typeof own === 'string' ? [own, value] : [...own, value],
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return;
  }
  // Only own properties are strings or arrays (Object.prototype holds functions and __proto__),
  // so no hasOwn call is needed to tell an inherited name (constructor, toString) from a field.
  const existing = record[name];
  if (typeof existing === 'string') record[name] = [existing, value];
  else if (Array.isArray(existing)) existing.push(value);
  else record[name] = value;
}
