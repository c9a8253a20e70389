/**
 * What organisation and group roles mean, in one place:
 *
 * - Rights of an organisation or group token are permission ids of its level, `org:<id>:admin` /
 *   `org:<id>:user` or `group:<id>:admin` / `group:<id>:user`; an admin token holds both of its level.
 *   They are the token's scopes, intersected on every verification with the permissions its technical
 *   user's membership grants now, and introspection reports them in `scope` for host apps. Inside
 *   patkit they grant no API method: a leaked organisation token cannot mint or manage tokens.
 * - A token bounded to resources reaches only the organisations of those resources
 *   (`resource-bounds.ts`): to it, every other organisation has no standing at all.
 * - Management: System Admins (`users:write`) manage every organisation, group, membership and token.
 *   Organisation admins manage the organisation's tokens and those of its groups; group admins their
 *   group's tokens. Memberships are read from the store on every request, never cached, so a removed
 *   membership or a lowered role takes effect at the next request (docs/security.md rule 8).
 */
import type { MemberRole } from '../../lib/model.ts';
import type { Principal } from './principal.ts';
import type { GroupRecord, OrgStore, ScopeKind, UserMembership } from '../store/org-store.ts';
import { problems } from '../http/problems.ts';
import type { TokenRecord } from '../store/store.ts';
import { withinOrgBoundary } from './resource-bounds.ts';

const PREFIX: Record<ScopeKind, string> = { organization: 'org', group: 'group' };

/** The permission ids a member with `role` holds at this level (admin includes user). */
export function levelPermissions(kind: ScopeKind, scopeId: string, role: MemberRole): string[] {
  const base = `${PREFIX[kind]}:${scopeId}:`;
  return role === 'admin' ? [`${base}admin`, `${base}user`] : [`${base}user`];
}

/** Everything these memberships grant, as permission ids. */
export function membershipPermissions(memberships: UserMembership[]): string[] {
  return memberships.flatMap((m) => levelPermissions(m.kind, m.scope_id, m.role));
}

export type Access = 'manage' | 'view' | 'member' | 'none';

/**
 * The caller's standing at one level: `manage` (may manage its tokens), `view` (System Admin with
 * users:read only), `member` (may see it, not its tokens), `none` (the level is hidden: 404).
 */
export async function accessTo(orgs: OrgStore, principal: Principal, kind: ScopeKind, scopeId: string, orgId: string): Promise<Access> {
  // A token bounded to other organisations' resources does not reach this one (docs/security.md rule 38).
  if (!withinOrgBoundary(principal, orgId)) return 'none';
  if (principal.effective.has('users:write')) return 'manage';
  const memberships = await orgs.membershipsOf(principal.user.id);
  const orgRole = memberships.find((m) => m.kind === 'organization' && m.scope_id === orgId)?.role ?? null;
  if (orgRole === 'admin') return 'manage';
  if (kind === 'group') {
    const groupRole = memberships.find((m) => m.kind === 'group' && m.scope_id === scopeId)?.role ?? null;
    if (groupRole === 'admin') return 'manage';
    if (principal.effective.has('users:read')) return 'view';
    return groupRole !== null || orgRole !== null ? 'member' : 'none';
  }
  if (principal.effective.has('users:read')) return 'view';
  const inAGroup = memberships.some((m) => m.kind === 'group' && m.org_id === orgId);
  return orgRole !== null || inAGroup ? 'member' : 'none';
}

/** The organisation / group an organisation or group token belongs to, or null. */
export async function levelOfToken(orgs: OrgStore, token: TokenRecord): Promise<{ kind: ScopeKind; scopeId: string; orgId: string } | null> {
  if (token.owner.kind === 'user' || token.owner.scope_id === null) return null;
  if (token.owner.kind === 'organization') return { kind: 'organization', scopeId: token.owner.scope_id, orgId: token.owner.scope_id };
  const group: GroupRecord | null = await orgs.getGroup(token.owner.scope_id);
  return group ? { kind: 'group', scopeId: group.id, orgId: group.org_id } : null;
}

/**
 * Authorises the caller on an organisation or group token for `/api/v1/tokens/{id}`: outsiders get
 * 404 (they must not learn the id exists), members without the admin role 403.
 */
export async function checkScopedTokenAccess(orgs: OrgStore, principal: Principal, token: TokenRecord, write: boolean): Promise<void> {
  const level = await levelOfToken(orgs, token);
  const access = level ? await accessTo(orgs, principal, level.kind, level.scopeId, level.orgId) : 'none';
  if (access === 'none') throw problems.notFound('That token');
  if (access === 'member') throw problems.forbidden(`Only ${level?.kind === 'group' ? 'group' : 'organization'} admins manage these tokens.`);
  if (access === 'view' && write) throw problems.forbidden("Changing an organization's tokens needs the users:write permission or its admin role.");
}
