/**
 * Token routes: list, identify, read, create, change, regenerate, end grace, clone, disable, enable,
 * delete, bulk delete, disable unused, and the leaked-credential report. Each handler authorises,
 * calls a service (`token-service.ts`, `token-lookup.ts`, `unused-tokens.ts`, `grace.ts`,
 * `leak-report.ts`) and shapes the answer.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiInstance } from '../http/api-instance.ts';
import {
  BulkDeleteSchema,
  CloneTokenSchema,
  ConfirmSchema,
  CreatedTokenSchema,
  CreateTokenSchema,
  DisableUnusedResultSchema,
  DisableUnusedSchema,
  EmptySchema,
  IdentifiedTokenSchema,
  IdentifyTokenSchema,
  IdParams,
  pageOf,
  problemResponses,
  RegenerateSchema,
  RevokeAcceptedSchema,
  RevokeCredentialsSchema,
  SECURITY,
  SelfRotateSchema,
  TokenListQuerySchema,
  TokenMetaSchema,
  TokenPatchSchema,
  UNUSED_BATCH_MAX,
} from '../http/schemas.ts';
import { sendSecret } from '../http/secret-reply.ts';
import { userDto } from '../users/user-dto.ts';
import { endGrace } from './grace.ts';
import { LEAK_REPORT_ACCEPTED, reportLeakedCredentials } from './leak-report.ts';
import { visibleToken } from './ownership.ts';
import { tokenDto } from './token-dto.ts';
import { identifyToken, listTokens } from './token-lookup.ts';
import { cloneToken, createToken, deleteToken, deleteTokens, disableToken, enableToken, regenerateToken, updateToken, type IssuedToken } from './token-service.ts';
import { disableUnusedTokens } from './unused-tokens.ts';
import { rotateSelf } from './self-rotation.ts';

const security = SECURITY;
const tags = ['tokens'];

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  listAndCreateRoutes(app);
  severalTokensRoutes(app);
  oneTokenRoutes(app);
  leakReportRoutes(app);
  graceAndCloneRoutes(app);
  tokenStateRoutes(app);
  selfRotationRoute(app);
};

/** A token rotates itself. */
function selfRotationRoute(app: ApiInstance): void {
  const ctx = app.ctx;

  app.post(
    '/tokens/self/rotate',
    {
      schema: {
        tags,
        security,
        summary:
          'The calling token (scope tokens:self_rotate) replaces its own secret, no password: answered like regenerate; grace_period_seconds is capped the same way. Refused (409 token_not_active) unless the token is active',
        body: SelfRotateSchema,
        response: { 200: CreatedTokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'tokens:self_rotate');
      const result = await rotateSelf(ctx, caller, request.body);
      return sendSecret(reply, 200, { token: tokenDto(ctx, result.token), secret: result.secret });
    },
  );
}

/** The token list, and a new token. */
function listAndCreateRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const issued = (result: IssuedToken) => ({ token: tokenDto(ctx, result.token), secret: result.secret });

  app.get(
    '/tokens',
    {
      schema: {
        tags,
        security,
        summary: 'List tokens (own by default; admins: everyone’s, by user, searched)',
        querystring: TokenListQuerySchema,
        response: { 200: pageOf(TokenMetaSchema), ...problemResponses },
      },
    },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      const page = await listTokens(ctx, principal, request.query);
      return { items: page.tokens.map((t) => tokenDto(ctx, t)), next_cursor: page.next_cursor };
    },
  );

  app.post(
    '/tokens',
    {
      schema: {
        tags,
        security,
        summary: 'Create a token (the secret is in this answer only)',
        body: CreateTokenSchema,
        response: { 201: CreatedTokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'tokens:write');
      return sendSecret(reply, 201, issued(await createToken(ctx, caller, request.body)));
    },
  );
}

/** Changes to several tokens at once, and "whose token is this value?". */
function severalTokensRoutes(app: ApiInstance): void {
  const ctx = app.ctx;

  app.post(
    '/tokens/bulk-delete',
    {
      schema: {
        tags,
        security,
        summary: 'Delete several tokens, all or nothing',
        body: BulkDeleteSchema,
        response: { 200: Type.Object({ deleted: Type.Array(Type.String()) }), ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      return { deleted: await deleteTokens(ctx, caller, request.body.ids, request.body.password) };
    },
  );

  app.post(
    '/tokens/disable-unused',
    {
      schema: {
        tags,
        security,
        summary: `Preview (dry_run) or disable the active tokens not used for N days, in one transaction (at most ${UNUSED_BATCH_MAX} a call)`,
        body: DisableUnusedSchema,
        response: { 200: DisableUnusedResultSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      const tokens = await disableUnusedTokens(ctx, caller, request.body);
      return { dry_run: request.body.dry_run, tokens: tokens.map((t) => tokenDto(ctx, t)) };
    },
  );

  app.post(
    '/tokens/identify',
    {
      schema: {
        tags,
        security,
        summary: 'Admins: whose token is this value? Its metadata and owner (never the secret); audited',
        body: IdentifyTokenSchema,
        response: { 200: IdentifiedTokenSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'users:read');
      const found = await identifyToken(ctx, caller, request.body.token);
      return { token: tokenDto(ctx, found.token), owner: userDto(ctx, found.owner), matched: found.matched };
    },
  );
}

/** One token: read, change, regenerate. */
function oneTokenRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const issued = (result: IssuedToken) => ({ token: tokenDto(ctx, result.token), secret: result.secret });

  app.get(
    '/tokens/:id',
    { schema: { tags, security, summary: 'Read one token', params: IdParams, response: { 200: TokenMetaSchema, ...problemResponses } } },
    async (request) => {
      const { principal } = await app.authorize(request, 'tokens:read');
      return tokenDto(ctx, await visibleToken(ctx, principal, request.params.id, false));
    },
  );

  app.patch(
    '/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change name, description, expiry or scopes (widening scopes needs the password)',
        params: IdParams,
        body: TokenPatchSchema,
        response: { 200: TokenMetaSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      return tokenDto(ctx, await updateToken(ctx, caller, request.params.id, request.body));
    },
  );

  app.post(
    '/tokens/:id/regenerate',
    {
      schema: {
        tags,
        security,
        summary:
          'New secret, same parameters; the old secret dies in the same transaction, or at the end of grace_period_seconds (a running grace period ends at once)',
        params: IdParams,
        body: RegenerateSchema,
        response: { 200: CreatedTokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'tokens:write');
      return sendSecret(reply, 200, issued(await regenerateToken(ctx, caller, request.params.id, request.body)));
    },
  );
}

/** Leaked-credential reports (no credential needed). */
function leakReportRoutes(app: ApiInstance): void {
  const ctx = app.ctx;

  app.post(
    '/credentials/revoke',
    {
      // 1,000 credentials of up to 1 KiB each need more than the server's default body limit.
      bodyLimit: 1024 * 1024 + 4096,
      schema: {
        tags: ['credentials'],
        summary: 'Report leaked credentials (no credential needed; GitHub’s credential revocation shape): every matching token is disabled',
        body: RevokeCredentialsSchema,
        response: { 202: RevokeAcceptedSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      await reportLeakedCredentials(ctx, request.ip, request.body.credentials);
      return reply.code(202).send(LEAK_REPORT_ACCEPTED);
    },
  );
}

/** End a grace period; clone. */
function graceAndCloneRoutes(app: ApiInstance): void {
  const ctx = app.ctx;
  const issued = (result: IssuedToken) => ({ token: tokenDto(ctx, result.token), secret: result.secret });

  app.delete(
    '/tokens/:id/grace',
    {
      schema: {
        tags,
        security,
        summary: 'End a running grace period now: only the current secret works afterwards',
        params: IdParams,
        response: { 200: TokenMetaSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      return tokenDto(ctx, await endGrace(ctx, caller, request.params.id));
    },
  );

  app.post(
    '/tokens/:id/clone',
    {
      schema: {
        tags,
        security,
        summary: 'A new token with the parameters of an existing one',
        params: IdParams,
        body: CloneTokenSchema,
        response: { 201: CreatedTokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'tokens:write');
      return sendSecret(reply, 201, issued(await cloneToken(ctx, caller, request.params.id, request.body)));
    },
  );
}

/** Disable, enable, delete. */
function tokenStateRoutes(app: ApiInstance): void {
  const ctx = app.ctx;

  app.post(
    '/tokens/:id/disable',
    {
      schema: {
        tags,
        security,
        summary: 'Disable a token (temporary; enable brings it back)',
        params: IdParams,
        body: EmptySchema,
        response: { 200: TokenMetaSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      return tokenDto(ctx, await disableToken(ctx, caller, request.params.id));
    },
  );

  app.post(
    '/tokens/:id/enable',
    {
      schema: {
        tags,
        security,
        summary: 'Enable a disabled token',
        params: IdParams,
        body: ConfirmSchema,
        response: { 200: TokenMetaSchema, ...problemResponses },
      },
    },
    async (request) => {
      const caller = await app.authorize(request, 'tokens:write');
      return tokenDto(ctx, await enableToken(ctx, caller, request.params.id, request.body.password));
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a token (permanent)',
        params: IdParams,
        body: ConfirmSchema,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = await app.authorize(request, 'tokens:write');
      await deleteToken(ctx, caller, request.params.id, request.body.password);
      return reply.code(204).send(null);
    },
  );
}
