// What node:http's _http_outgoing puts in a response head on its own, and the checks it applies
// to the fields it is given: shared by the fast path's hit heads (hit-response.ts) and its
// response writer (fast-response.ts), so both write the bytes node:http would.

/** _http_common's checkIsHttpToken. */
export const httpToken = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
/** _http_common's checkInvalidHeaderChar. */
export const invalidValueChar = /[^\t\x20-\x7e\x80-\xff]/;

let second = -1;
let line = '';

/** `Date: <IMF-fixdate>\r\n` (utcDate) for the second of `nowMs`, formatted once per second. */
export function dateLine(nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  if (now !== second) {
    second = now;
    line = `Date: ${new Date(now * 1000).toUTCString()}\r\n`;
  }
  return line;
}

/**
 * The persistence lines of a kept-alive response (_storeHeader): Keep-Alive only when the server
 * has a keep-alive timeout and the response gave no Keep-Alive field of its own.
 */
export function keepAliveLines(keepAliveTimeoutMs: number, ownKeepAliveField = false): string {
  if (!keepAliveTimeoutMs || ownKeepAliveField) return 'Connection: keep-alive\r\n';
  return `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(keepAliveTimeoutMs / 1000)}\r\n`;
}
