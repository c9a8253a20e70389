/**
 * Token requests: the approvers' queue (`GET /token-requests`) and their decisions (approve, deny
 * with a reason). Each handler authorises, calls `token-requests.ts` and answers the token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DenySchema, TokenRequestQuerySchema } from '../http/policy-schemas.ts';
import { EmptySchema, IdParams, pageOf, problemResponses, SECURITY, TokenMetaSchema } from '../http/schemas.ts';
import { tokenDto } from './token-dto.ts';
import { decideTokenRequest, listTokenRequests } from './token-requests.ts';

const security = SECURITY;
const tags = ['token requests'];

export const tokenRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx;

  app.get(
    '/token-requests',
    {
      schema: {
        tags,
        security,
        summary: 'Token requests in one state, oldest first (tokens:approve: all; organization admins: their organizations’)',
        querystring: TokenRequestQuerySchema,
        response: { 200: pageOf(TokenMetaSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const page = await listTokenRequests(ctx, principal, request.query);
      return { items: page.tokens.map((t) => tokenDto(ctx, t)), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/token-requests/:id/approve',
    {
      schema: {
        tags,
        security,
        summary: 'Approve a pending token request: the token works from now on (not your own request)',
        params: IdParams,
        body: EmptySchema,
        response: { 200: TokenMetaSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      return tokenDto(ctx, await decideTokenRequest(ctx, caller, request.params.id, 'approved', null));
    },
  );

  app.post(
    '/token-requests/:id/deny',
    {
      schema: {
        tags,
        security,
        summary: 'Deny a pending token request, with the reason the requester sees: the token never works',
        params: IdParams,
        body: DenySchema,
        response: { 200: TokenMetaSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      return tokenDto(ctx, await decideTokenRequest(ctx, caller, request.params.id, 'denied', request.body.reason.trim()));
    },
  );
};
