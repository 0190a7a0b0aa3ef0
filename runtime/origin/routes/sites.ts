import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, announce, type OriginContext, principalOf } from '../context.ts';
import { pageQuerySchema, pageSchema } from '../pagination.ts';
import {
  createSite,
  deleteSite,
  getSite,
  listSites,
  siteInputSchema,
  siteRecordSchema,
  updateSite,
} from '../sites-store.ts';

const siteParams = z.object({ id: z.string().min(1).max(100) });

export function siteRoutes(app: FastifyInstance, ctx: OriginContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/v1/sites',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['sites'],
        querystring: pageQuerySchema,
        response: { 200: pageSchema(siteRecordSchema) },
      },
    },
    async (request) => listSites(ctx.pool, principalOf(request).tenantId, request.query),
  );

  api.post(
    '/v1/sites',
    {
      config: { scope: 'admin' },
      schema: { tags: ['sites'], body: siteInputSchema, response: { 201: siteRecordSchema } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const written = await createSite(
        ctx.pool,
        principal.tenantId,
        actorOf(principal),
        request.body,
      );
      await announce(ctx, written.seq);
      return reply
        .code(201)
        .header('location', `/v1/sites/${written.value.id}`)
        .send(written.value);
    },
  );

  api.get(
    '/v1/sites/:id',
    {
      config: { scope: 'read' },
      schema: { tags: ['sites'], params: siteParams, response: { 200: siteRecordSchema } },
    },
    async (request) => getSite(ctx.pool, principalOf(request).tenantId, request.params.id),
  );

  api.put(
    '/v1/sites/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['sites'],
        params: siteParams,
        body: siteInputSchema,
        response: { 200: siteRecordSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const written = await updateSite(
        ctx.pool,
        principal.tenantId,
        actorOf(principal),
        request.params.id,
        request.body,
      );
      await announce(ctx, written.seq);
      return written.value;
    },
  );

  api.delete(
    '/v1/sites/:id',
    {
      config: { scope: 'admin' },
      schema: { tags: ['sites'], params: siteParams },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const written = await deleteSite(
        ctx.pool,
        principal.tenantId,
        actorOf(principal),
        request.params.id,
      );
      await announce(ctx, written.seq);
      return reply.code(204).send();
    },
  );
}
