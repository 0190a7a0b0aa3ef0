// node:http's Date field line (utcDate of _http_outgoing), formatted once per second and shared
// by the fast path's hit heads and FastResponse.
let second = -1;
let line = '';

/** `Date: <IMF-fixdate>\r\n` for the second of `nowMs`. */
export function dateLine(nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  if (now !== second) {
    second = now;
    line = `Date: ${new Date(now * 1000).toUTCString()}\r\n`;
  }
  return line;
}
