/**
 * Authentication as Fastify decorators on the root instance: `app.authenticate(request)` gives the
 * request's principal (or throws 401/429), `app.authorize(request, scope)` also requires a scope and
 * gives the caller (principal and IP) that services act and audit as.
 */
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { requireScope, type Caller, type Principal } from './principal.ts';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(request: FastifyRequest): Promise<Principal>;
    authorize(request: FastifyRequest, scope: string): Promise<Caller>;
  }
}

export const authentication = fp(
  async (app) => {
    const auth = app.ctx.auth;
    app.decorate('authenticate', (request: FastifyRequest) => auth.authenticate(request));
    app.decorate('authorize', async (request: FastifyRequest, scope: string): Promise<Caller> => {
      const principal = await auth.authenticate(request);
      requireScope(principal, scope);
      return { principal, ip: request.ip };
    });
  },
  { name: 'patkit-authentication', dependencies: ['patkit-context'] },
);
