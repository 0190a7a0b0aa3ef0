// The edge link: snapshot, event stream (SSE) and usage batches, authenticated by the edge token.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type EdgeEvent,
  edgeLinkPaths,
  type Snapshot,
  snapshotOutputSchema,
  usageAckSchema,
  usageBatchSchema,
} from '../../lib/origin-link/wire.ts';
import type { OriginContext } from '../context.ts';
import type { HubClient } from '../event-hub.ts';
import { currentSeq, eventsAfter, prunedThroughSeq } from '../events-store.ts';
import { problems } from '../problem.ts';
import { allSites } from '../sites-store.ts';
import { recordUsageBatch } from '../usage-store.ts';

const maxBufferedBytes = 16 * 1024 * 1024;

export function formatSse(event: EdgeEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

async function snapshot(ctx: OriginContext): Promise<Snapshot> {
  const client = await ctx.pool.connect();
  try {
    // One consistent view: the sites exactly as of the sequence number returned with them.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const seq = await currentSeq(client);
    const sites = await allSites(client);
    await client.query('COMMIT');
    return { seq, sites };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Open SSE responses of this replica, ended when the server closes. */
export type OpenStreams = Set<FastifyReply>;

export function edgeLinkRoutes(
  app: FastifyInstance,
  ctx: OriginContext,
  streams: OpenStreams,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    edgeLinkPaths.snapshot,
    {
      config: { edge: true },
      schema: { tags: ['edge'], response: { 200: snapshotOutputSchema } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return snapshot(ctx);
    },
  );

  api.get(
    edgeLinkPaths.events,
    {
      config: { edge: true },
      schema: {
        tags: ['edge'],
        headers: z.object({
          'last-event-id': z
            .string()
            .regex(/^[0-9]{1,15}$/, 'must be the id of the last event received, e.g. 42')
            .optional(),
        }),
      },
    },
    async (request, reply) => {
      const latest = await currentSeq(ctx.pool);
      const asked = request.headers['last-event-id'];
      let lastSent = asked === undefined ? latest : Number(asked);
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 1000\n\n');
      const send = (event: EdgeEvent) => {
        if (event.seq <= lastSent || raw.destroyed) return;
        lastSent = event.seq;
        raw.write(formatSse(event));
        // An edge that stops reading would make this replica buffer without bound: drop it; it
        // reconnects with its Last-Event-ID and is replayed from Postgres.
        if (raw.writableLength > maxBufferedBytes) {
          ctx.logger.warn({ buffered: raw.writableLength }, 'edge stream not read; closing it');
          raw.destroy();
        }
      };
      if (lastSent > latest) {
        // The edge has seen events this log never had (restored database): it must reload.
        raw.write(formatSse({ type: 'reset', seq: latest }));
        lastSent = latest;
      }
      // Events the hub reads while the replay runs wait here, so the edge sees one ordered stream.
      let queue: EdgeEvent[] | undefined = [];
      const client: HubClient = {
        deliver: (event) => (queue ? queue.push(event) : send(event)),
      };
      ctx.hub.add(client);
      streams.add(reply);
      ctx.metrics.originEdgeStreams.inc();
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), ctx.heartbeatMs);
      let closed = false;
      raw.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        ctx.hub.remove(client);
        streams.delete(reply);
        ctx.metrics.originEdgeStreams.dec();
      });
      try {
        for (;;) {
          const from = lastSent;
          const missed = await eventsAfter(ctx.pool, from);
          // Read after the events: a retention round that deleted any of them has moved the
          // watermark by now. Events after `from` are gone, so the edge must reload the snapshot.
          if (from < (await prunedThroughSeq(ctx.pool))) {
            const end = await currentSeq(ctx.pool);
            raw.write(formatSse({ type: 'reset', seq: end }));
            // The newest event is never pruned, so end is past the watermark; max() makes sure.
            lastSent = Math.max(end, await prunedThroughSeq(ctx.pool));
            continue;
          }
          for (const event of missed) send(event);
          if (missed.length < 1000 || closed) break;
        }
      } catch (error) {
        ctx.logger.warn(
          { err: String(error) },
          'event replay failed; closing the stream so the edge reconnects',
        );
        raw.destroy();
        return;
      }
      const waiting = queue;
      queue = undefined;
      for (const event of waiting) send(event);
    },
  );

  api.post(
    edgeLinkPaths.usage,
    {
      config: { edge: true },
      bodyLimit: 8 * 1024 * 1024,
      schema: { tags: ['edge'], body: usageBatchSchema, response: { 200: usageAckSchema } },
    },
    async (request) => {
      const { ack, counted } = await recordUsageBatch(ctx.pool, request.body);
      for (const usage of counted) {
        const labels = { tenant: usage.tenantId, site: usage.site };
        ctx.metrics.originUsageRequests.inc(labels, usage.requests);
        ctx.metrics.originUsageBytes.inc(labels, usage.bytes);
      }
      return ack;
    },
  );
}

export function requireEdgeToken(
  ctx: OriginContext,
  authorization: string | undefined,
  matches: (header: string | undefined, token: string) => boolean,
): void {
  if (ctx.edgeToken === undefined)
    throw problems.unavailable('the edge link is off: set EDGEPLANE_EDGE_TOKEN on the origin');
  if (!matches(authorization, ctx.edgeToken))
    throw problems.unauthorized(
      'send the edge token as Authorization: Bearer <EDGEPLANE_EDGE_TOKEN>',
    );
}
