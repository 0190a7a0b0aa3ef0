import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, announce, type OriginContext, principalOf } from '../context.ts';
import { pageQuerySchema, pageSchema } from '../pagination.ts';
import { problems } from '../problem.ts';
import {
  createPurge,
  getPurge,
  listPurges,
  purgeInputSchema,
  purgeRecordSchema,
} from '../purges-store.ts';

const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters, e.g. a UUID')
  .optional();

export function purgeRoutes(app: FastifyInstance, ctx: OriginContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/v1/purges',
    {
      config: { scope: 'purge' },
      schema: {
        tags: ['purges'],
        headers: z.object({ 'idempotency-key': idempotencyKey }),
        body: purgeInputSchema,
        response: { 201: purgeRecordSchema, 200: purgeRecordSchema },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const result = await createPurge(
        ctx.pool,
        principal.tenantId,
        actorOf(principal),
        request.body,
        request.headers['idempotency-key'],
      );
      if (result.seq !== undefined) {
        ctx.metrics.originPurges.inc({ kind: result.value.kind, mode: result.value.mode });
        await announce(ctx, result.seq);
      }
      // A replay of an earlier request answers like the first time, marked as such.
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .code(result.replayed ? 200 : 201)
        .header('location', `/v1/purges/${result.value.seq}`)
        .send(result.value);
    },
  );

  api.get(
    '/v1/purges',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['purges'],
        querystring: pageQuerySchema.extend({ site: z.string().min(1).optional() }),
        response: { 200: pageSchema(purgeRecordSchema) },
      },
    },
    async (request) =>
      listPurges(ctx.pool, principalOf(request).tenantId, request.query, request.query.site),
  );

  api.get(
    '/v1/purges/:seq',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['purges'],
        params: z.object({
          seq: z.string().regex(/^[0-9]{1,15}$/, 'must be a purge sequence number, e.g. 42'),
        }),
        response: { 200: purgeRecordSchema },
      },
    },
    async (request) => {
      const seq = Number(request.params.seq);
      if (!Number.isSafeInteger(seq)) throw problems.notFound(`no purge ${request.params.seq}`);
      return getPurge(ctx.pool, principalOf(request).tenantId, seq);
    },
  );
}
