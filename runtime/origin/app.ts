// The origin's HTTP API: fastify with zod schemas for validation, serialisation and the OpenAPI
// document; API key auth and per-key rate limits in an onRequest hook; problem+json errors.
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { OriginContext } from './context.ts';
import { edgeTokenMatches } from './credentials.ts';
import { authenticateKey } from './keys-store.ts';
import { type FieldProblem, ProblemError, problemContentType, problems } from './problem.ts';
import { accountRoutes } from './routes/account.ts';
import { edgeLinkRoutes, type OpenStreams, requireEdgeToken } from './routes/edge-link.ts';
import { purgeRoutes } from './routes/purges.ts';
import { siteRoutes } from './routes/sites.ts';

const partNames: Record<string, string> = {
  querystring: 'query',
  body: 'body',
  params: 'path',
  headers: 'header',
};

function sendProblem(reply: FastifyReply, error: ProblemError): FastifyReply {
  return reply
    .code(error.problem.status)
    .headers(error.headers)
    .header('content-type', problemContentType)
    .header('cache-control', 'no-store')
    .send(JSON.stringify(error.problem));
}

function toProblem(error: FastifyError): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = partNames[error.validationContext ?? 'body'] ?? 'body';
    const fields: FieldProblem[] = error.validation.map((issue) => ({
      field: `${part}${issue.instancePath === '/' ? '' : issue.instancePath}`,
      detail: issue.message ?? 'is invalid',
    }));
    return problems.invalid(fields);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // fastify's own client errors: malformed JSON, wrong content type, body too large...
    return new ProblemError({
      type: `urn:edgeplane:problem:${(error.code ?? 'client-error').toLowerCase()}`,
      title: 'Bad request',
      status,
      detail: error.message,
      ...(status === 400 ? { errors: [{ field: 'body', detail: error.message }] } : {}),
    });
  }
  return undefined;
}

export interface OriginApp {
  app: FastifyInstance;
  streams: OpenStreams;
}

export async function buildOriginApp(ctx: OriginContext): Promise<OriginApp> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    // SSE responses are never idle; they are ended in preClose.
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'edgeplane origin API',
        version: '1',
        description:
          'Tenants, sites, API keys, purges and usage of an edgeplane CDN, and the edge link.',
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key, ep_<prefix>_<secret>',
          },
          edgeToken: { type: 'http', scheme: 'bearer', description: 'EDGEPLANE_EDGE_TOKEN' },
        },
      },
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      const config = input.route.config as { scope?: string; edge?: boolean } | undefined;
      const security = config?.edge ? [{ edgeToken: [] }] : config?.scope ? [{ apiKey: [] }] : [];
      return { ...transformed, schema: { ...transformed.schema, security } };
    },
  });

  const streams: OpenStreams = new Set();

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.edge) {
      requireEdgeToken(ctx, request.headers.authorization, edgeTokenMatches);
      return;
    }
    if (config.scope === undefined) return;
    const principal = await authenticateKey(ctx.pool, request.headers.authorization);
    const limit = await ctx.limiter.take(principal.keyId);
    if (!limit.allowed) throw problems.rateLimited(limit.retryAfterSeconds);
    if (!principal.scopes.includes('admin') && !principal.scopes.includes(config.scope)) {
      throw problems.forbidden(`this API key lacks the ${config.scope} scope`);
    }
    request.principal = principal;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.originHttpRequests.inc({
      route,
      method: request.method,
      status: String(reply.statusCode),
    });
    ctx.metrics.originHttpDuration.observe(
      { route, method: request.method },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem) return sendProblem(reply, problem);
    ctx.logger.error(
      { err: error, route: request.routeOptions.url, method: request.method },
      'origin API request failed',
    );
    return sendProblem(reply, problems.internal());
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problems.notFound(`no route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  app.addHook('preClose', async () => {
    for (const reply of streams) reply.raw.end();
    streams.clear();
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  siteRoutes(app, ctx);
  purgeRoutes(app, ctx);
  accountRoutes(app, ctx);
  edgeLinkRoutes(app, ctx, streams);
  await app.ready();
  return { app, streams };
}
