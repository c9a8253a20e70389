/** Liveness, readiness, and the role and scope catalogs. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ScopeCatalog } from '../../lib/model.ts';
import { Problem } from '../http/problems.ts';
import { NoQuery, problemResponses, RoleSchema, ScopeCatalogSchema, SECURITY } from '../http/schemas.ts';

const security = SECURITY;
export const SERVER_VERSION = '0.1.0';

/**
 * The built-in scopes' docs links are paths on this server (its documentation site): made absolute
 * on the origin the client called, so they open wherever the server is reached. A Host header that
 * makes no URL leaves those links out rather than guessing.
 */
export function withDocsOrigin(catalog: ScopeCatalog, request: Pick<FastifyRequest, 'protocol' | 'host'>): ScopeCatalog {
  let origin: string | null;
  try {
    origin = new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    origin = null;
  }
  const absolute = (url: string | null): string | null => (url?.startsWith('/') ? (origin === null || origin === 'null' ? null : origin + url) : url);
  return { ...catalog, scopes: catalog.scopes.map((s) => ({ ...s, docs_url: absolute(s.docs_url) })) };
}

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
      return withDocsOrigin(ctx.catalog.catalog, request);
    },
  );
};
