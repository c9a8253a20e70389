/** The API's index, liveness, readiness, and the role and scope catalogs. */
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

const API_LINKS = { health: '/api/v1/health', ready: '/api/v1/ready', openapi: '/api/v1/openapi.json', docs: '/docs/' } as const;

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  // The start banner prints /api/v1: it answers with where to go next rather than a 404.
  app.get(
    '/',
    {
      schema: {
        tags: ['meta'],
        summary: 'The API index: version and links to health, readiness, the OpenAPI document and the docs',
        querystring: NoQuery,
        response: {
          200: Type.Object({
            name: Type.String(),
            version: Type.String(),
            links: Type.Object({ health: Type.String(), ready: Type.String(), openapi: Type.String(), docs: Type.String() }),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      // Absolute, from the origin this client reached the server by, so they work wherever it is read.
      const origin = `${request.protocol}://${request.host}`;
      const links = Object.fromEntries(Object.entries(API_LINKS).map(([k, path]) => [k, `${origin}${path}`])) as Record<keyof typeof API_LINKS, string>;
      return { name: 'patkit reference token server', version: SERVER_VERSION, links };
    },
  );

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
