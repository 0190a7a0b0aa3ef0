// Exponential backoff with full jitter (AWS architecture blog's "full jitter"): a fleet of edges
// reconnecting after an origin restart spreads out instead of arriving together.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly options: BackoffOptions;
  constructor(options: BackoffOptions) {
    this.options = options;
  }
  /** The delay before the next attempt. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round((this.options.random ?? Math.random)() * ceiling);
  }
  reset(): void {
    this.attempt = 0;
  }
}
