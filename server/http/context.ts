/** What every route module gets: the store, the catalog, authentication and the shared policies. */
import type { KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { TokenMeta, TokenStatus, User } from '../../lib/model.ts';
import { type Authenticator, type Principal } from '../auth/authenticator.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { Problem, problems } from './problems.ts';
import type { AuditEntry, Store, TokenRecord, UserRecord } from '../store/store.ts';
import type { FailurePolicy } from '../auth/throttle.ts';

export interface AppContext {
  store: Store;
  catalog: Catalog;
  pepper: KeyObject;
  auth: Authenticator;
  signInFailures: FailurePolicy;
  passwordFailures: FailurePolicy;
  /** Counts every leaked-token report per IP (shared across instances like the failure counters). */
  leakReports: FailurePolicy;
  now: () => number;
}

export function nowIso(ctx: AppContext): string {
  return new Date(ctx.now()).toISOString();
}

export function auditEntry(
  ctx: AppContext,
  request: FastifyRequest,
  principal: Principal | null,
  action: string,
  fields: { token_id?: string | null; owner_id?: string | null; detail?: AuditEntry['detail'] } = {},
): AuditEntry {
  const detail: AuditEntry['detail'] = { ...fields.detail };
  if (principal?.tokenId) detail.via_token = principal.tokenId;
  return {
    action,
    actor: principal ? { id: principal.user.id, username: principal.user.username } : null,
    token_id: fields.token_id ?? null,
    owner_id: fields.owner_id ?? null,
    ip: request.ip,
    at: nowIso(ctx),
    detail,
  };
}

/**
 * Re-checks the caller's password when the server policy asks for it (rule 10); throttled per IP and
 * per account (rule 12), and every failure is audited (rule 13).
 */
export async function confirmPassword(
  ctx: AppContext,
  request: FastifyRequest,
  principal: Principal,
  password: string | undefined,
  operation: string,
): Promise<void> {
  if (!(await ctx.store.getSettings()).require_password_confirmation) return;
  const wait = await ctx.passwordFailures.retryAfter(request.ip, principal.user.id);
  if (wait > 0) throw problems.rateLimited(wait);
  if (password === undefined || password === '') {
    throw new Problem(403, 'password_confirmation_required', `Enter your password to ${operation}.`);
  }
  const user = await ctx.store.getUser(principal.user.id);
  const ok = await verifyPassword(password, user?.password_hash ?? null);
  if (!ok) {
    await ctx.passwordFailures.fail(request.ip, principal.user.id);
    await ctx.store.appendAudit(auditEntry(ctx, request, principal, 'password.check_failed', { owner_id: principal.user.id, detail: { operation } }));
    throw new Problem(403, 'password_incorrect', 'That password is not correct.');
  }
  await ctx.passwordFailures.succeed(principal.user.id);
}

export function userDto(ctx: AppContext, user: UserRecord): User {
  return {
    id: user.id,
    username: user.username,
    display_name: user.display_name,
    active: user.active,
    kind: user.kind,
    roles: user.roles,
    permissions: ctx.catalog.permissionsOf(user.roles),
    created_at: user.created_at,
  };
}

export function tokenStatus(token: { disabled: boolean; expires_at: string | null }, now: number): TokenStatus {
  if (token.expires_at !== null && Date.parse(token.expires_at) <= now) return 'expired';
  return token.disabled ? 'disabled' : 'active';
}

export function tokenDto(ctx: AppContext, token: TokenRecord): TokenMeta {
  return {
    id: token.id,
    owner: {
      kind: token.owner.kind,
      id: token.owner.user_id,
      username: token.owner.username,
      display_name: token.owner.display_name,
      scope_id: token.owner.scope_id,
      scope_name: token.owner.scope_name,
    },
    name: token.name,
    description: token.description,
    created_at: token.created_at,
    created_by: token.created_by,
    updated_at: token.updated_at,
    expires_at: token.expires_at,
    scopes: token.scopes,
    status: tokenStatus(token, ctx.now()),
    last_used_at: token.last_used_at,
    last_used_ip: token.last_used_ip,
    last4: token.last4,
    rotation:
      token.previous !== null && Date.parse(token.previous.valid_until) > ctx.now()
        ? { previous_valid_until: token.previous.valid_until, previous_last4: token.previous.last4 }
        : null,
    recent_uses: token.recent_uses.map((u) => ({ ip: u.ip, at: u.at })),
  };
}

export function parseLimit(value: string | undefined, fallback = 50): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw problems.field('limit', 'limit must be an integer from 1 to 200.');
  return n;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, check: (value: unknown) => value is T): T | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through
  }
  throw problems.field('cursor', 'cursor is not valid: use the next_cursor of a previous page.');
}
