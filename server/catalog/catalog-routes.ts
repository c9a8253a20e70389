/** Health, the role and scope catalogs, settings, audit log and token introspection. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireScope } from '../auth/principal.ts';
import { decodeCursor, pageFrom, parseLimit } from '../http/paging.ts';
import { Problem } from '../http/problems.ts';
import {
  AuditEventSchema,
  AuditQuerySchema,
  IntrospectionSchema,
  IntrospectSchema,
  NoQuery,
  pageOf,
  problemResponses,
  RoleSchema,
  ScopeCatalogSchema,
  SettingsPatchSchema,
  SettingsSchema,
  SECURITY,
} from '../http/schemas.ts';
import { updateSettings } from './settings.ts';

const security = SECURITY;
export const SERVER_VERSION = '0.1.0';

export const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  const principalOf = app.authenticate;

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
      await principalOf(request);
      return { items: ctx.catalog.roles };
    },
  );

  app.get(
    '/scopes',
    {
      schema: { tags: ['tokens'], security, summary: 'The scope catalog and predefined sets', querystring: NoQuery, response: { 200: ScopeCatalogSchema, ...problemResponses } },
    },
    async (request) => {
      await principalOf(request);
      return ctx.catalog.catalog;
    },
  );

  app.get(
    '/settings',
    { schema: { tags: ['settings'], security, summary: 'Server settings', querystring: NoQuery, response: { 200: SettingsSchema, ...problemResponses } } },
    async (request) => {
      await principalOf(request);
      return await ctx.store.getSettings();
    },
  );

  app.patch(
    '/settings',
    {
      schema: { tags: ['settings'], security, summary: 'Change server settings', body: SettingsPatchSchema, response: { 200: SettingsSchema, ...problemResponses } },
    },
    async (request) => {
      return await updateSettings(ctx, await app.authorize(request, 'settings:write'), request.body);
    },
  );

  app.get(
    '/audit',
    {
      schema: { tags: ['audit'], security, summary: 'The audit log, newest first', querystring: AuditQuerySchema, response: { 200: pageOf(AuditEventSchema), ...problemResponses } },
    },
    async (request) => {
      const principal = await principalOf(request);
      requireScope(principal, 'audit:read');
      const q = request.query;
      const limit = parseLimit(q.limit);
      const before = decodeCursor(q.cursor, (v): v is number => Number.isInteger(v));
      const rows = await ctx.store.listAudit({ token_id: q.token_id ?? null, user_id: q.user_id ?? null, action: q.action ?? null, before, limit: limit + 1 });
      return pageFrom(rows, limit, (row) => row, (last) => Number(last.id));
    },
  );

  app.post(
    '/introspect',
    {
      schema: {
        tags: ['tokens'],
        security,
        summary: 'RFC 7662 token introspection for host app backends',
        body: IntrospectSchema,
        response: { 200: IntrospectionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = await principalOf(request);
      requireScope(principal, 'tokens:introspect');
      reply.header('cache-control', 'no-store');
      const check = await ctx.auth.checkPat(request.body.token);
      if (!check.ok) return { active: false };
      await ctx.auth.noteUse(check.record, null);
      const { record } = check;
      return {
        active: true,
        sub: record.user.id,
        username: record.user.username,
        scope: check.effective.join(' '),
        exp: record.expires_at === null ? null : Math.floor(Date.parse(record.expires_at) / 1000),
        iat: Math.floor(Date.parse(record.created_at) / 1000),
        token_id: record.id,
        token_type: 'bearer',
      };
    },
  );
};
