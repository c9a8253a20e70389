/**
 * Whose tokens a caller may see, change and create: own tokens with the token scopes; anyone's with
 * users:read (see) and users:write (change, create); organisation and group tokens by their admins.
 * Tokens the caller may not see are "not found", so their ids are not revealed.
 */
import { checkScopedTokenAccess } from '../auth/org-access.ts';
import type { Principal } from '../auth/principal.ts';
import { withinResources } from '../auth/resource-bounds.ts';
import { ROLE_SYSTEM_ADMIN, ROLE_TOKEN_CREATOR } from '../catalog/catalog.ts';
import { Problem, problems } from '../http/problems.ts';
import type { Store, TokenRecord, UserRecord } from '../store/store.ts';

export const ADMIN_TOKEN_WARNING =
  'You are generating a personal access token with System Admin permissions. Are you sure want to create this token?';

/** Loads a token the caller may see (own, or anyone's with users:read); others are "not found". */
export async function visibleToken(ctx: { store: Store }, principal: Principal, id: string, write: boolean): Promise<TokenRecord> {
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
  // A bounded token changes only tokens bounded within its resources: never a wider one (docs/security.md rule 38).
  if (write && !withinResources(principal, token.resources)) {
    throw problems.forbidden('This token is bounded to resources: it may change only tokens bounded within them.');
  }
  return token;
}

/** Who the new token will belong to, and whether the caller may create it. */
export async function ownerForNewToken(ctx: { store: Store }, principal: Principal, ownerId: string | undefined): Promise<UserRecord> {
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

/** A token for a System Admin is made only after the caller confirmed the warning. */
export function requireAdminAcknowledgement(owner: UserRecord, acknowledged: boolean | undefined): void {
  if (owner.roles.includes(ROLE_SYSTEM_ADMIN) && acknowledged !== true) {
    throw new Problem(409, 'admin_token_acknowledgement_required', ADMIN_TOKEN_WARNING);
  }
}

/** Whose tokens a list shows (`owner` = me, all, or a user id): a user id, or null for everyone's. */
export function listedOwner(principal: Principal, owner: string | undefined): string | null {
  if (owner === undefined || owner === 'me' || owner === principal.user.id) return principal.user.id;
  if (!principal.effective.has('users:read')) throw problems.insufficientScope('users:read');
  return owner === 'all' ? null : owner;
}

/** Whose unused tokens a caller may disable: own, or (with users:write) one user's or everyone's (null). */
export async function unusedTokensOwner(ctx: { store: Store }, principal: Principal, owner: string | undefined): Promise<string | null> {
  if (owner === undefined || owner === 'me' || owner === principal.user.id) return principal.user.id;
  if (!principal.effective.has('users:write')) throw problems.forbidden("Disabling other users' tokens needs the users:write permission.");
  if (owner === 'all') return null;
  if (!(await ctx.store.getUser(owner))) throw problems.field('owner', 'owner names no user.');
  return owner;
}
