// What the origin's routes share: the database, the bus and hub, limits and metrics.
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger.ts';
import type { MetricsFor } from '../lib/metrics.ts';
import type { EventBus } from './bus.ts';
import type { ApiKeyScope } from './credentials.ts';
import type { EventHub } from './event-hub.ts';
import type { Principal } from './keys-store.ts';
import type { RateLimiter } from './rate-limit.ts';

export type OriginMetricKey =
  | 'originHttpRequests'
  | 'originHttpDuration'
  | 'originEdgeStreams'
  | 'originPurges'
  | 'originUsageRequests'
  | 'originUsageBytes';

export interface OriginContext {
  pool: Pool;
  bus: EventBus;
  hub: EventHub;
  limiter: RateLimiter;
  /** Edges authenticate with it; the edge link answers 503 without one. */
  edgeToken: string | undefined;
  metrics: MetricsFor<OriginMetricKey>;
  logger: Logger;
  /** SSE comment lines keep idle connections open through proxies. */
  heartbeatMs: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API key scope a route needs (admin grants every scope). */
    scope?: ApiKeyScope;
    /** Edge link route: authenticated by the edge token instead of an API key. */
    edge?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The caller's principal; routes with a scope always have one after the auth hook. */
export function principalOf(request: { principal?: Principal }): Principal {
  if (request.principal === undefined)
    throw new Error('route has no scope but reads the principal');
  return request.principal;
}

export const actorOf = (principal: Principal): string => `key:${principal.keyId}`;

/**
 * After a commit: this replica reads the new events at once (its edges need not wait for the bus,
 * and still get them while Redis is away), and every other replica is told over the bus.
 */
export async function announce(ctx: OriginContext, seq: number): Promise<void> {
  void ctx.hub.wake();
  await ctx.bus.publish(seq);
}
