/**
 * RFC 7662 token introspection for host app backends (tokens:introspect): whether a PAT is active
 * now and what it may do, from the token, its owner and the settings as they are at this moment.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IntrospectionSchema, IntrospectSchema, problemResponses, SECURITY } from '../http/schemas.ts';

export const introspectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = app.ctx.auth;

  app.post(
    '/introspect',
    {
      schema: {
        tags: ['tokens'],
        security: SECURITY,
        summary: 'RFC 7662 token introspection for host app backends',
        body: IntrospectSchema,
        response: { 200: IntrospectionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      await app.authorize(request, 'tokens:introspect');
      reply.header('cache-control', 'no-store');
      const check = await auth.checkPat(request.body.token);
      if (!check.ok) return { active: false };
      await auth.noteUse(check.record, null);
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
