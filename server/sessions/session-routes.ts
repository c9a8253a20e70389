/** Sign in (bearer credential or HttpOnly cookie) and sign out. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { auditEntry } from '../audit/audit-entry.ts';
import { Problem, problems } from '../http/problems.ts';
import { problemResponses, SECURITY, SignedInSchema, SignInSchema } from '../http/schemas.ts';
import { userDto } from '../users/user-dto.ts';
import { CLEARED_SESSION_COOKIE, sessionCookie } from '../auth/session-cookie.ts';
import { REMEMBERED_SESSION_MS, signIn } from './sign-in.ts';

export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;
  app.post(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Sign in with username and password',
        body: SignInSchema,
        response: { 201: SignedInSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { username, password, mode = 'bearer', remember = false } = request.body;
      if (mode === 'cookie') {
        const site = request.headers['sec-fetch-site'];
        if (site !== undefined && site !== 'same-origin' && site !== 'none') {
          throw new Problem(403, 'csrf_failed', 'Cookie sign-in is only accepted from the same origin.');
        }
      }
      const session = await signIn(ctx, request.ip, { username, password, mode, remember });
      const user = userDto(ctx, session.user);
      reply.header('cache-control', 'no-store');
      if (mode === 'bearer') return reply.code(201).send({ credential: session.credential, expires_at: session.expiresAt, user });
      reply.header('set-cookie', sessionCookie(session.credential, request.headers.host, remember ? Math.floor(REMEMBERED_SESSION_MS / 1000) : null));
      return reply.code(201).send({ expires_at: session.expiresAt, user });
    },
  );

  app.delete(
    '/sessions/current',
    {
      schema: {
        tags: ['sessions'],
        security: SECURITY,
        summary: 'Sign out (ends this session)',
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const principal = await app.authenticate(request);
      if (principal.sessionId === null) {
        throw problems.forbidden('A personal access token is not a session: disable or delete the token instead.');
      }
      await ctx.store.deleteSession(principal.sessionId, auditEntry(ctx, { principal, ip: request.ip }, 'session.signed_out', { owner_id: principal.user.id }));
      if (principal.via === 'cookie') {
        reply.header('set-cookie', CLEARED_SESSION_COOKIE);
      }
      return reply.code(204).send(null);
    },
  );
};
