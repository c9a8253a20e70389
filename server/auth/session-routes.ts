/** Sign in (bearer credential or HttpOnly cookie) and sign out. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SESSION_COOKIE } from './authenticator.ts';
import { auditEntry, nowIso, userDto, type AppContext } from '../http/context.ts';
import { digestCredential, generateSessionCredential, publicId } from './credentials.ts';
import { verifyPassword } from './passwords.ts';
import { Problem, problems } from '../http/problems.ts';
import { problemResponses, SECURITY, SignedInSchema, SignInSchema } from '../http/schemas.ts';

const SESSION_MS = 12 * 3_600_000;
const REMEMBERED_SESSION_MS = 30 * 86_400_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return LOOPBACK_HOSTS.has(name.toLowerCase());
}

export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
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
        const ip = request.ip;
        if (mode === 'cookie') {
          const site = request.headers['sec-fetch-site'];
          if (site !== undefined && site !== 'same-origin' && site !== 'none') {
            throw new Problem(403, 'csrf_failed', 'Cookie sign-in is only accepted from the same origin.');
          }
        }
        const wait = await ctx.signInFailures.retryAfter(ip, username);
        if (wait > 0) throw problems.rateLimited(wait);
        const user = await ctx.store.getUserByUsername(username);
        const ok = await verifyPassword(password, user?.kind === 'person' ? user.password_hash : null);
        if (!ok || !user || !user.active) {
          await ctx.signInFailures.fail(ip, username);
          await ctx.store.appendAudit({
            ...auditEntry(ctx, request, null, 'session.sign_in_failed', { owner_id: user?.id ?? null }),
            detail: { username: username.slice(0, 64), reason: ok && user && !user.active ? 'user_inactive' : 'invalid_credentials' },
          });
          if (ok && user && !user.active) throw new Problem(401, 'user_inactive', 'This account is deactivated.');
          throw new Problem(401, 'invalid_credentials', 'The username or password is not correct.');
        }
        await ctx.signInFailures.succeed(username);
        const credential = generateSessionCredential();
        const created = ctx.now();
        const expiresAt = new Date(created + (remember ? REMEMBERED_SESSION_MS : SESSION_MS)).toISOString();
        const principal = { user, permissions: [], effective: new Set<string>(), via: 'session' as const, tokenId: null, sessionId: null };
        await ctx.store.createSession(
          {
            id: publicId('ses'),
            digest: digestCredential(ctx.pepper, credential),
            user_id: user.id,
            mode,
            created_at: nowIso(ctx),
            expires_at: expiresAt,
          },
          auditEntry(ctx, request, principal, 'session.signed_in', { owner_id: user.id, detail: { mode } }),
        );
        reply.header('cache-control', 'no-store');
        if (mode === 'cookie') {
          const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
          if (!isLoopbackHost(request.headers.host)) attributes.push('Secure');
          if (remember) attributes.push(`Max-Age=${Math.floor(REMEMBERED_SESSION_MS / 1000)}`);
          reply.header('set-cookie', `${SESSION_COOKIE}=${credential}; ${attributes.join('; ')}`);
          return reply.code(201).send({ expires_at: expiresAt, user: userDto(ctx, user) });
        }
        return reply.code(201).send({ credential, expires_at: expiresAt, user: userDto(ctx, user) });
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
        const principal = await ctx.auth.authenticate(request);
        if (principal.sessionId === null) {
          throw problems.forbidden('A personal access token is not a session: disable or delete the token instead.');
        }
        await ctx.store.deleteSession(principal.sessionId, auditEntry(ctx, request, principal, 'session.signed_out', { owner_id: principal.user.id }));
        if (principal.via === 'cookie') {
          reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
        }
        return reply.code(204).send(null);
      },
    );
  };
}
