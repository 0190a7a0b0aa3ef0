// Relays an origin's 1xx interim responses to the client (RFC 9110 §15.2): 103 Early Hints with
// their Link fields, 102 Processing. 100 Continue is Node's own business (it answers Expect
// itself), 101 never reaches here (upgrades are not proxied).
import type { EdgeResponse } from './exchange.ts';

export function relayInterim(
  res: EdgeResponse,
  status: number,
  headers: Record<string, string | string[]>,
): void {
  if (res.headersSent || res.destroyed) return;
  if (status === 103 && headers.link !== undefined) {
    const hints: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (name !== 'connection' && name !== 'keep-alive') hints[name] = value;
    }
    res.writeEarlyHints(hints);
  } else if (status === 102) {
    res.writeProcessing();
  }
}
