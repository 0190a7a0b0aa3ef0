// Requests per API key per fixed one-minute window, counted in Redis so every replica shares the
// count; without Redis (local mode) counted in this process.
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.ts';

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window resets (Retry-After when refused). */
  retryAfterSeconds: number;
  remaining: number;
}

export interface RateLimiter {
  take(key: string): Promise<RateLimitDecision>;
}

const windowMs = 60_000;

function decide(count: number, limit: number, now: number): RateLimitDecision {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
  return { allowed: count <= limit, retryAfterSeconds, remaining: Math.max(0, limit - count) };
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly limit: number;
  private readonly logger: Logger;
  constructor(redis: Redis, limitPerMinute: number, logger: Logger) {
    this.redis = redis;
    this.limit = limitPerMinute;
    this.logger = logger;
  }
  async take(key: string): Promise<RateLimitDecision> {
    const now = Date.now();
    const bucket = `edgeplane:ratelimit:${key}:${Math.floor(now / windowMs)}`;
    try {
      const [[, count]] = (await this.redis
        .multi()
        .incr(bucket)
        .pexpire(bucket, windowMs * 2)
        .exec()) as [[Error | null, number]];
      return decide(count, this.limit, now);
    } catch (error) {
      // Redis away: serving the API beats refusing it; the limit is a guard, not a bill.
      this.logger.warn(
        { err: (error as Error).message },
        'rate limit check failed; allowing the request',
      );
      return { allowed: true, retryAfterSeconds: 0, remaining: this.limit };
    }
  }
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, number>();
  private window = 0;
  private readonly limit: number;
  constructor(limitPerMinute: number) {
    this.limit = limitPerMinute;
  }
  async take(key: string): Promise<RateLimitDecision> {
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return decide(count, this.limit, now);
  }
}
