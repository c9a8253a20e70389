/** Liveness, readiness, and the role and scope catalogs. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem } from '../http/problems.ts';
import { NoQuery, problemResponses, RoleSchema, ScopeCatalogSchema, SECURITY } from '../http/schemas.ts';

const security = SECURITY;
export const SERVER_VERSION = '0.1.0';

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness',
        querystring: NoQuery,
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }), ...problemResponses },
      },
    },
    async () => ({ status: 'ok' as const, version: SERVER_VERSION }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['meta'],
        summary: 'Readiness for load balancers: 200 when this instance can serve (its database answers), else 503',
        querystring: NoQuery,
        response: { 200: Type.Object({ status: Type.Literal('ready'), version: Type.String() }), ...problemResponses },
      },
    },
    async () => {
      if (!(await ctx.store.ping())) {
        throw new Problem(503, 'database_unavailable', 'The token database cannot be reached right now.', { retryAfter: 1 });
      }
      return { status: 'ready' as const, version: SERVER_VERSION };
    },
  );

  app.get(
    '/roles',
    {
      schema: { tags: ['users'], security, summary: 'The role catalog', querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(RoleSchema) }), ...problemResponses } },
    },
    async (request) => {
      await app.authenticate(request);
      return { items: ctx.catalog.roles };
    },
  );

  app.get(
    '/scopes',
    {
      schema: { tags: ['tokens'], security, summary: 'The scope catalog and predefined sets', querystring: NoQuery, response: { 200: ScopeCatalogSchema, ...problemResponses } },
    },
    async (request) => {
      await app.authenticate(request);
      // The origin this client reached the server by, so the docs links work wherever it renders them.
      return ctx.catalog.catalogFor(`${request.protocol}://${request.host}`);
    },
  );
};
