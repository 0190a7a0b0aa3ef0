// What travels on the origin link, validated with zod on both ends: the snapshot, the events of
// the SSE stream, and usage batches. The purge shape is the edge's purge request shape
// (runtime/lib/purge-request.ts) plus the origin's sequence number and commit time.
import { z } from 'zod';
import { cookieModes, queryStringModes, siteSchema } from '../site.ts';

export const edgeLinkPaths = {
  snapshot: '/v1/edge/snapshot',
  events: '/v1/edge/events',
  usage: '/v1/edge/usage',
} as const;

import { purgeKinds, purgeModes } from '../purge-request.ts';

/**
 * A site as the origin sends it: the Site shape without input transforms (zod cannot encode a
 * transform back), so the origin's responses are checked against it on the way out.
 */
export const siteOutputSchema = z.object({
  id: z.string(),
  hosts: z.array(z.string()),
  origin: z.string(),
  cache: z.object({
    ttlOverrideSeconds: z.number().int().optional(),
    queryString: z.enum(queryStringModes),
    queryParams: z.array(z.string()),
    cookies: z.enum(cookieModes),
    compression: z.boolean(),
  }),
});

export const snapshotOutputSchema = z.object({
  seq: z.number().int().min(0),
  sites: z.array(siteOutputSchema),
});

export const snapshotSchema = z.object({
  /** The sequence of the last event the snapshot includes: follow the stream from here. */
  seq: z.number().int().min(0),
  sites: z.array(siteSchema),
});
export type Snapshot = z.output<typeof snapshotSchema>;

export const purgeEventSchema = z.object({
  site: z.string(),
  kind: z.enum(purgeKinds),
  values: z.array(z.string()),
  mode: z.enum(purgeModes),
  /** Commit time at the origin, ms since the epoch (for the edge's purge lag metric). */
  committedAt: z.number(),
});
export type PurgeEvent = z.output<typeof purgeEventSchema>;

/** SSE event names and their data. */
export const edgeEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('site.upsert'), seq: z.number().int(), site: siteSchema }),
  z.object({ type: z.literal('site.delete'), seq: z.number().int(), siteId: z.string() }),
  z.object({ type: z.literal('purge'), seq: z.number().int(), purge: purgeEventSchema }),
  // The edge is ahead of the origin's log (e.g. a restored database): reload the snapshot.
  z.object({ type: z.literal('reset'), seq: z.number().int() }),
]);
export type EdgeEvent = z.output<typeof edgeEventSchema>;

export const usageCounterSchema = z.object({
  site: z.string().min(1, 'must be a site id'),
  /** Start of the hour, ISO 8601, e.g. 2026-11-26T11:00:00Z. */
  hour: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 hour, e.g. 2026-11-26T11:00:00Z' })
    .refine((value) => {
      const date = new Date(value);
      return (
        date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0
      );
    }, 'must be the start of an hour, e.g. 2026-11-26T11:00:00Z'),
  requests: z.number().int().min(0),
  bytes: z.number().int().min(0),
  hits: z.number().int().min(0),
  misses: z.number().int().min(0),
});
export type UsageCounter = z.output<typeof usageCounterSchema>;

export const usageBatchSchema = z
  .object({
    /** Unique per batch: a retried batch carries the same id and is counted once. */
    batchId: z
      .string({ error: 'must be a batch id, e.g. a UUID' })
      .min(8, 'must be a batch id of 8 to 128 characters, e.g. a UUID')
      .max(128, 'must be a batch id of 8 to 128 characters, e.g. a UUID'),
    counters: z.array(usageCounterSchema).max(10_000, 'must hold at most 10000 counters'),
  })
  .strict();
export type UsageBatch = z.output<typeof usageBatchSchema>;

export const usageAckSchema = z.object({
  batchId: z.string(),
  /** False when this batch id was already counted (a retry). */
  accepted: z.boolean(),
  /** Counters for sites the origin does not know (deleted since): dropped. */
  unknownSites: z.array(z.string()),
});
export type UsageAck = z.output<typeof usageAckSchema>;
