// The tenant itself, its API keys, users, usage and audit log.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, type OriginContext, principalOf } from '../context.ts';
import { createKey, keyInputSchema, keyRecordSchema, listKeys, revokeKey } from '../keys-store.ts';
import { decodeCursor, pageQuerySchema, pageSchema, toPage } from '../pagination.ts';
import { getTenant } from '../tenants.ts';
import { queryUsage, usageQuerySchema, usageRowSchema } from '../usage-store.ts';
import {
  createUser,
  deleteUser,
  listUsers,
  userInputSchema,
  userRecordSchema,
} from '../users-store.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

const auditEntrySchema = z.object({
  id: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  detail: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export function accountRoutes(app: FastifyInstance, ctx: OriginContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/tenant',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['tenant'],
        response: { 200: z.object({ id: z.string(), name: z.string(), createdAt: z.string() }) },
      },
    },
    async (request) => getTenant(ctx.pool, principalOf(request).tenantId),
  );

  api.get(
    '/v1/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        querystring: pageQuerySchema,
        response: { 200: pageSchema(keyRecordSchema) },
      },
    },
    async (request) => listKeys(ctx.pool, principalOf(request).tenantId, request.query),
  );

  api.post(
    '/v1/keys',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['keys'],
        body: keyInputSchema,
        response: {
          201: keyRecordSchema.extend({ token: z.string().describe('shown once; store it now') }),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const key = await createKey(ctx.pool, principal.tenantId, actorOf(principal), request.body);
      return reply.code(201).header('cache-control', 'no-store').send(key);
    },
  );

  api.delete(
    '/v1/keys/:id',
    {
      config: { scope: 'admin' },
      schema: { tags: ['keys'], params: idParams, response: { 200: keyRecordSchema } },
    },
    async (request) => {
      const principal = principalOf(request);
      return revokeKey(ctx.pool, principal.tenantId, actorOf(principal), request.params.id);
    },
  );

  api.get(
    '/v1/users',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['users'],
        querystring: pageQuerySchema,
        response: { 200: pageSchema(userRecordSchema) },
      },
    },
    async (request) => listUsers(ctx.pool, principalOf(request).tenantId, request.query),
  );

  api.post(
    '/v1/users',
    {
      config: { scope: 'admin' },
      schema: { tags: ['users'], body: userInputSchema, response: { 201: userRecordSchema } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      return reply
        .code(201)
        .send(await createUser(ctx.pool, principal.tenantId, actorOf(principal), request.body));
    },
  );

  api.delete(
    '/v1/users/:id',
    {
      config: { scope: 'admin' },
      schema: { tags: ['users'], params: idParams },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await deleteUser(ctx.pool, principal.tenantId, actorOf(principal), request.params.id);
      return reply.code(204).send();
    },
  );

  api.get(
    '/v1/usage',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['usage'],
        querystring: usageQuerySchema,
        response: { 200: z.object({ items: z.array(usageRowSchema) }) },
      },
    },
    async (request) => ({
      items: await queryUsage(ctx.pool, principalOf(request).tenantId, request.query),
    }),
  );

  api.get(
    '/v1/audit',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['audit'],
        querystring: pageQuerySchema,
        response: { 200: pageSchema(auditEntrySchema) },
      },
    },
    async (request) => {
      const before = Number(decodeCursor(request.query.cursor) ?? Number.MAX_SAFE_INTEGER);
      const result = await ctx.pool.query<{
        id: string;
        actor: string;
        action: string;
        target: string;
        detail: Record<string, unknown>;
        at: Date;
      }>(
        'SELECT id, actor, action, target, detail, at FROM audit_log WHERE tenant_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3',
        [
          principalOf(request).tenantId,
          Number.isFinite(before) ? before : 0,
          request.query.limit + 1,
        ],
      );
      const rows = result.rows.map((row) => ({
        ...row,
        id: Number(row.id),
        at: row.at.toISOString(),
      }));
      return toPage(rows, request.query.limit, (row) => String(row.id));
    },
  );
}
