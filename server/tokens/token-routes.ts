/** Token lifecycle: list, get, create, update, regenerate, clone, disable, enable, delete, bulk delete. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TokenStatus } from '../../lib/model.ts';
import { requireScope, type Principal } from '../auth/authenticator.ts';
import { ROLE_SYSTEM_ADMIN, ROLE_TOKEN_CREATOR } from '../catalog/catalog.ts';
import {
  auditEntry,
  confirmPassword,
  decodeCursor,
  encodeCursor,
  nowIso,
  parseLimit,
  tokenDto,
  tokenStatus,
  userDto,
  type AppContext,
} from '../http/context.ts';
import { credentialKind, digestCredential, generateToken, last4, publicId } from '../auth/credentials.ts';
import { checkScopedTokenAccess } from '../orgs/org-access.ts';
import { Problem, problems } from '../http/problems.ts';
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
  TokenListQuerySchema,
  TokenMetaSchema,
  TokenPatchSchema,
  SECURITY,
  UNUSED_BATCH_MAX,
} from '../http/schemas.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { TokenRecord, UserRecord } from '../store/store.ts';
import { Type } from 'typebox';

const DAY_MS = 86_400_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const security = SECURITY;
const tags = ['tokens'];

export const ADMIN_TOKEN_WARNING =
  'You are generating a personal access token with System Admin permissions. Are you sure want to create this token?';

async function patsEnabled(ctx: AppContext): Promise<void> {
  if (!(await ctx.store.getSettings()).enable_personal_access_tokens) throw problems.patsDisabled(403);
}

/** Applies the server's lifetime policy: default, maximum, and whether "never" is allowed (rule 7). */
export async function resolveExpiry(ctx: AppContext, requested: string | null | undefined): Promise<string | null> {
  const settings = await ctx.store.getSettings();
  const now = ctx.now();
  const maxMs = settings.max_lifetime_days > 0 ? settings.max_lifetime_days * DAY_MS : Infinity;
  if (requested === undefined) {
    return new Date(now + Math.min(settings.default_lifetime_days * DAY_MS, maxMs)).toISOString();
  }
  if (requested === null) {
    if (!settings.allow_no_expiry) throw problems.field('expires_at', 'This server requires an expiry date on every token.');
    return null;
  }
  const time = ISO_TIME.test(requested) ? Date.parse(requested) : NaN;
  if (Number.isNaN(time)) throw problems.field('expires_at', 'expires_at must be an ISO 8601 time, e.g. 2027-01-31T00:00:00Z.');
  if (time <= now) throw problems.field('expires_at', 'expires_at must be in the future.');
  if (time - now > maxMs + 60_000) {
    throw problems.field('expires_at', `Tokens on this server live at most ${settings.max_lifetime_days} days.`);
  }
  return new Date(time).toISOString();
}

function validScopes(ctx: AppContext, scopes: string[]): string[] {
  const unknown = scopes.filter((s) => !ctx.catalog.isScope(s));
  if (unknown.length) throw problems.field('scopes', `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.slice(0, 5).join(', ')}.`);
  return [...new Set(scopes)];
}

/** Loads a token the caller may see (own, or anyone's with users:read); others are "not found". */
async function visibleToken(ctx: AppContext, principal: Principal, id: string, write: boolean): Promise<TokenRecord> {
  const token = await ctx.store.getToken(id);
  if (token && token.owner.kind !== 'user') {
    // Organisation and group tokens: their admins (and System Admins) manage them; outsiders get 404.
    await checkScopedTokenAccess(ctx.store.orgs, principal, token, write);
    return token;
  }
  const own = token?.owner.user_id === principal.user.id;
  if (!token || (!own && !principal.effective.has('users:read'))) throw problems.notFound('That token');
  if (write && !own && !principal.effective.has('users:write')) {
    throw problems.forbidden("Changing another user's tokens needs the users:write permission.");
  }
  return token;
}

/** Who the new token will belong to, and whether the caller may create it. */
async function ownerForNewToken(ctx: AppContext, principal: Principal, ownerId: string | undefined): Promise<UserRecord> {
  if (ownerId === undefined || ownerId === principal.user.id) {
    const roles = principal.user.roles;
    if (!roles.includes(ROLE_SYSTEM_ADMIN) && !roles.includes(ROLE_TOKEN_CREATOR)) {
      throw problems.forbidden(
        'This account may not create personal access tokens. An admin can grant it the role "Allow this account to generate personal access tokens".',
      );
    }
    return principal.user;
  }
  if (!principal.effective.has('users:write')) throw problems.forbidden('Creating tokens for other users needs the users:write permission.');
  const owner = await ctx.store.getUser(ownerId);
  if (!owner) throw problems.field('owner_id', 'owner_id names no user.');
  // A technical user has exactly one token, made with it by its organisation or group.
  if (owner.kind === 'technical') throw problems.field('owner_id', 'Technical users get their one token from their organization or group.');
  if (!owner.active) throw problems.field('owner_id', 'That user is deactivated.');
  return owner;
}

function requireAdminAcknowledgement(owner: UserRecord, acknowledged: boolean | undefined): void {
  if (owner.roles.includes(ROLE_SYSTEM_ADMIN) && acknowledged !== true) {
    throw new Problem(409, 'admin_token_acknowledgement_required', ADMIN_TOKEN_WARNING);
  }
}

function issue(ctx: AppContext) {
  const secret = generateToken();
  return { secret, digest: digestCredential(ctx.pepper, secret), last4: last4(secret) };
}

function sendSecret(ctx: AppContext, reply: FastifyReply, status: number, token: TokenRecord, secret: string) {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
  return reply.code(status).send({ token: tokenDto(ctx, token), secret });
}

const LEAK_REPORT_ACCEPTED = { message: 'Thank you. Any of these credentials that are tokens of this server are now disabled.' };

/** Start of the idle window of "unused for N days" (N from 1 to 3650), or a 400 naming the field. */
function unusedBefore(ctx: AppContext, days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw problems.field('unused_days', 'unused_days must be a whole number of days from 1 to 3650.');
  return new Date(ctx.now() - days * DAY_MS).toISOString();
}

/** A token that counts as unused: active, and last used (or created, if never used) before `before`. */
function isUnused(ctx: AppContext, token: TokenRecord, before: string): boolean {
  return tokenStatus(token, ctx.now()) === 'active' && (token.last_used_at ?? token.created_at) < before;
}

function isCursor(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

export function tokenRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const principalOf = (request: FastifyRequest) => ctx.auth.authenticate(request);

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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
        const q = request.query;
        let owner: string | null = principal.user.id;
        if (q.owner === 'all') {
          if (!principal.effective.has('users:read')) throw problems.insufficientScope('users:read');
          owner = null;
        } else if (q.owner !== undefined && q.owner !== 'me' && q.owner !== principal.user.id) {
          if (!principal.effective.has('users:read')) throw problems.insufficientScope('users:read');
          owner = q.owner;
        }
        const sort = q.sort ?? 'created_at';
        const limit = parseLimit(q.limit);
        const rows = await ctx.store.listTokens({
          owner_user_id: owner,
          text: q.q?.trim() || null,
          status: (q.status as TokenStatus | undefined) ?? null,
          unused_before: q.unused_days === undefined ? null : unusedBefore(ctx, Number(q.unused_days)),
          sort,
          order: q.order ?? 'desc',
          after: decodeCursor(q.cursor, isCursor),
          limit: limit + 1,
          now: nowIso(ctx),
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map((t) => tokenDto(ctx, t)),
          next_cursor: rows.length > limit && last ? encodeCursor([SqliteStore.sortValue(last, sort), last.id]) : null,
        };
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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        await patsEnabled(ctx);
        const body = request.body;
        const owner = await ownerForNewToken(ctx, principal, body.owner_id);
        const scopes = validScopes(ctx, body.scopes);
        const expiresAt = await resolveExpiry(ctx, body.expires_at);
        requireAdminAcknowledgement(owner, body.acknowledge_admin_token);
        await confirmPassword(ctx, request, principal, body.password, 'create a token');
        const fresh = issue(ctx);
        const id = publicId('tok');
        const token = await ctx.store.insertToken(
          {
            id,
            digest: fresh.digest,
            last4: fresh.last4,
            owner_kind: 'user',
            owner_user_id: owner.id,
            owner_scope_id: null,
            owner_scope_name: null,
            name: body.name,
            description: body.description ?? '',
            created_at: nowIso(ctx),
            created_by_id: principal.user.id,
            expires_at: expiresAt,
            scopes,
          },
          auditEntry(ctx, request, principal, 'token.created', {
            token_id: id,
            owner_id: owner.id,
            detail: { name: body.name, scopes: scopes.join(' '), expires_at: expiresAt },
          }),
        );
        return sendSecret(ctx, reply, 201, token, fresh.secret);
      },
    );

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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const ids = [...new Set(request.body.ids)];
        const tokens: TokenRecord[] = [];
        for (const id of ids) tokens.push(await visibleToken(ctx, principal, id, true));
        await confirmPassword(ctx, request, principal, request.body.password, 'delete these tokens');
        const deleted = await ctx.store.deleteTokens(
          ids,
          tokens.map((t) =>
            auditEntry(ctx, request, principal, 'token.deleted', { token_id: t.id, owner_id: t.owner.user_id, detail: { name: t.name, bulk: true } }),
          ),
        );
        if (deleted === null) throw problems.notFound('One of those tokens');
        return { deleted };
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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const body = request.body;
        const before = unusedBefore(ctx, body.unused_days);
        let owner: string | null = principal.user.id;
        if (body.owner === 'all' || (body.owner !== undefined && body.owner !== 'me' && body.owner !== principal.user.id)) {
          if (!principal.effective.has('users:write')) {
            throw problems.forbidden("Disabling other users' tokens needs the users:write permission.");
          }
          owner = body.owner === 'all' ? null : body.owner;
          if (owner !== null && !(await ctx.store.getUser(owner))) throw problems.field('owner', 'owner names no user.');
        }
        let candidates: TokenRecord[];
        if (body.ids !== undefined) {
          // The previewed set, as it is now: gone, someone else's or used since → spared.
          candidates = [];
          for (const id of new Set(body.ids)) {
            const token = await ctx.store.getToken(id);
            if (token && (owner === null || token.owner.user_id === owner) && isUnused(ctx, token, before)) candidates.push(token);
          }
        } else {
          candidates = await ctx.store.listTokens({
            owner_user_id: owner,
            text: null,
            status: 'active',
            unused_before: before,
            sort: 'last_used_at',
            order: 'asc',
            after: null,
            limit: UNUSED_BATCH_MAX,
            now: nowIso(ctx),
          });
        }
        if (body.dry_run) return { dry_run: true, tokens: candidates.map((t) => tokenDto(ctx, t)) };
        const audits = candidates.map((t) =>
          auditEntry(ctx, request, principal, 'token.disabled', {
            token_id: t.id,
            owner_id: t.owner.user_id,
            detail: {
              reason: 'unused',
              unused_days: body.unused_days,
              ...(t.previous !== null && Date.parse(t.previous.valid_until) > ctx.now() ? { ended_grace: true } : {}),
            },
          }),
        );
        const disabled = candidates.length === 0 ? [] : await ctx.store.disableUnusedTokens(candidates.map((t) => t.id), before, nowIso(ctx), audits);
        return { dry_run: false, tokens: disabled.map((t) => tokenDto(ctx, t)) };
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
        const principal = await principalOf(request);
        requireScope(principal, 'users:read');
        const value = request.body.token.trim();
        if (credentialKind(value) !== 'pat') {
          throw problems.field('token', 'That is not a patkit token: they start with "pat_" followed by 36 letters and digits.');
        }
        const found = await ctx.store.findTokenByDigest(digestCredential(ctx.pepper, value));
        const current =
          found !== null && (found.matched === 'current' || (found.previous_valid_until !== null && Date.parse(found.previous_valid_until) > ctx.now()));
        const token = current ? await ctx.store.getToken(found.id) : null;
        const owner = token ? await ctx.store.getUser(token.owner.user_id) : null;
        await ctx.store.appendAudit(
          auditEntry(ctx, request, principal, 'token.identified', {
            token_id: token?.id ?? null,
            owner_id: token?.owner.user_id ?? null,
            detail: { found: token !== null && owner !== null, ...(token && found?.matched === 'previous' ? { previous_secret: true } : {}) },
          }),
        );
        if (!token || !owner) throw problems.notFound('A token with that value');
        return { token: tokenDto(ctx, token), owner: userDto(ctx, owner), matched: found!.matched };
      },
    );

    app.get(
      '/tokens/:id',
      { schema: { tags, security, summary: 'Read one token', params: IdParams, response: { 200: TokenMetaSchema, ...problemResponses } } },
      async (request) => {
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:read');
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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const token = await visibleToken(ctx, principal, request.params.id, true);
        const body = request.body;
        const scopes = body.scopes === undefined ? undefined : validScopes(ctx, body.scopes);
        const expiresAt = body.expires_at === undefined ? undefined : await resolveExpiry(ctx, body.expires_at);
        const widened = scopes?.filter((s) => !token.scopes.includes(s)) ?? [];
        if (widened.length) await confirmPassword(ctx, request, principal, body.password, 'give this token more scopes');
        const changed = Object.keys(body).filter((k) => k !== 'password');
        if (changed.length === 0) return tokenDto(ctx, token);
        const updated = await ctx.store.updateToken(
          token.id,
          { name: body.name, description: body.description, expires_at: expiresAt, scopes },
          auditEntry(ctx, request, principal, 'token.updated', {
            token_id: token.id,
            owner_id: token.owner.user_id,
            detail: { fields: changed.join(' '), ...(widened.length ? { added_scopes: widened.join(' ') } : {}) },
          }),
        );
        if (!updated) throw problems.notFound('That token');
        return tokenDto(ctx, updated);
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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        await patsEnabled(ctx);
        const token = await visibleToken(ctx, principal, request.params.id, true);
        const grace = request.body.grace_period_seconds ?? 0;
        const maxGrace = (await ctx.store.getSettings()).max_grace_period_seconds ?? 0;
        if (grace > maxGrace) {
          throw problems.field(
            'grace_period_seconds',
            maxGrace === 0
              ? 'This server does not keep old secrets valid after a regenerate: send grace_period_seconds 0 or leave it out.'
              : `grace_period_seconds can be at most ${maxGrace} on this server.`,
          );
        }
        if (grace > 0 && tokenStatus(token, ctx.now()) !== 'active') {
          throw problems.field('grace_period_seconds', 'Only an active token keeps its old secret for a grace period: this one is disabled or expired.');
        }
        await confirmPassword(ctx, request, principal, request.body.password, 'regenerate this token');
        const fresh = issue(ctx);
        const graceUntil = grace > 0 ? new Date(ctx.now() + grace * 1000).toISOString() : null;
        const endedGrace = token.previous !== null && Date.parse(token.previous.valid_until) > ctx.now();
        const updated = await ctx.store.replaceTokenSecret(
          token.id,
          fresh.digest,
          fresh.last4,
          nowIso(ctx),
          graceUntil,
          auditEntry(ctx, request, principal, 'token.regenerated', {
            token_id: token.id,
            owner_id: token.owner.user_id,
            detail: {
              grace_period_seconds: grace,
              previous_valid_until: graceUntil,
              ...(endedGrace ? { ended_previous_grace: true } : {}),
            },
          }),
        );
        if (!updated) throw problems.notFound('That token');
        return sendSecret(ctx, reply, 200, updated, fresh.secret);
      },
    );

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
        // Every report counts against the reporter's IP (in the shared counters on PostgreSQL).
        const wait = await ctx.leakReports.retryAfter(request.ip, null);
        if (wait > 0) throw new Problem(429, 'rate_limited', `Too many reports from this address. Try again in ${wait} seconds.`, { retryAfter: wait });
        await ctx.leakReports.fail(request.ip, null);
        const digests = [...new Set(request.body.credentials)]
          .filter((c) => credentialKind(c) === 'pat')
          .map((c) => digestCredential(ctx.pepper, c));
        if (digests.length) await ctx.store.reportLeakedTokens(digests, nowIso(ctx), request.ip);
        // The same answer whatever matched: a report tells the reporter nothing about what exists.
        return reply.code(202).send(LEAK_REPORT_ACCEPTED);
      },
    );

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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const token = await visibleToken(ctx, principal, request.params.id, true);
        if (token.previous === null || Date.parse(token.previous.valid_until) <= ctx.now()) return tokenDto(ctx, token);
        const updated = await ctx.store.updateToken(
          token.id,
          { end_grace: true },
          auditEntry(ctx, request, principal, 'token.grace_ended', {
            token_id: token.id,
            owner_id: token.owner.user_id,
            detail: { previous_valid_until: token.previous.valid_until },
          }),
        );
        if (!updated) throw problems.notFound('That token');
        return tokenDto(ctx, updated);
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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        await patsEnabled(ctx);
        const source = await visibleToken(ctx, principal, request.params.id, false);
        if (source.owner.kind !== 'user') {
          throw problems.conflict('Organization and group tokens cannot be cloned: each has its own technical user. Create a new one.');
        }
        const owner = await ownerForNewToken(ctx, principal, source.owner.user_id);
        const body = request.body;
        const scopes = source.scopes.filter((s) => ctx.catalog.isScope(s));
        let requested: string | null | undefined = body.expires_at;
        if (requested === undefined && source.expires_at === null && (await ctx.store.getSettings()).allow_no_expiry) requested = null;
        if (requested === undefined && source.expires_at !== null) {
          // Same lifetime as the source, counted from now (capped by the policy below).
          const lifetime = Date.parse(source.expires_at) - Date.parse(source.created_at);
          const maxDays = (await ctx.store.getSettings()).max_lifetime_days;
          const capped = maxDays > 0 ? Math.min(lifetime, maxDays * DAY_MS) : lifetime;
          if (capped > 0) requested = new Date(ctx.now() + capped).toISOString();
        }
        const expiresAt = await resolveExpiry(ctx, requested);
        requireAdminAcknowledgement(owner, body.acknowledge_admin_token);
        await confirmPassword(ctx, request, principal, body.password, 'clone this token');
        const fresh = issue(ctx);
        const id = publicId('tok');
        const name = body.name ?? `${source.name} (copy)`.slice(0, 100);
        const token = await ctx.store.insertToken(
          {
            id,
            digest: fresh.digest,
            last4: fresh.last4,
            owner_kind: source.owner.kind,
            owner_user_id: owner.id,
            owner_scope_id: source.owner.scope_id,
            owner_scope_name: source.owner.scope_name,
            name,
            description: body.description ?? source.description,
            created_at: nowIso(ctx),
            created_by_id: principal.user.id,
            expires_at: expiresAt,
            scopes,
          },
          auditEntry(ctx, request, principal, 'token.cloned', {
            token_id: id,
            owner_id: owner.id,
            detail: { source_token_id: source.id, name, scopes: scopes.join(' '), expires_at: expiresAt },
          }),
        );
        return sendSecret(ctx, reply, 201, token, fresh.secret);
      },
    );

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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const token = await visibleToken(ctx, principal, request.params.id, true);
        if (token.disabled) return tokenDto(ctx, token);
        const updated = await ctx.store.updateToken(
          token.id,
          { disabled: true },
          auditEntry(ctx, request, principal, 'token.disabled', {
            token_id: token.id,
            owner_id: token.owner.user_id,
            detail: token.previous !== null && Date.parse(token.previous.valid_until) > ctx.now() ? { ended_grace: true } : {},
          }),
        );
        if (!updated) throw problems.notFound('That token');
        return tokenDto(ctx, updated);
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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const token = await visibleToken(ctx, principal, request.params.id, true);
        if (!token.disabled) return tokenDto(ctx, token);
        await confirmPassword(ctx, request, principal, request.body.password, 'enable this token');
        const updated = await ctx.store.updateToken(
          token.id,
          { disabled: false },
          auditEntry(ctx, request, principal, 'token.enabled', { token_id: token.id, owner_id: token.owner.user_id }),
        );
        if (!updated) throw problems.notFound('That token');
        return tokenDto(ctx, updated);
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
        const principal = await principalOf(request);
        requireScope(principal, 'tokens:write');
        const token = await visibleToken(ctx, principal, request.params.id, true);
        await confirmPassword(ctx, request, principal, request.body.password, 'delete this token');
        const deleted = await ctx.store.deleteTokens(
          [token.id],
          [auditEntry(ctx, request, principal, 'token.deleted', { token_id: token.id, owner_id: token.owner.user_id, detail: { name: token.name } })],
        );
        if (deleted === null) throw problems.notFound('That token');
        return reply.code(204).send(null);
      },
    );
  };
}
