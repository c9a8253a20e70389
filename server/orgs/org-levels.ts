/**
 * Organisations and groups as the caller may see them: a level the caller has no standing in is
 * "not found"; its tokens and members are for its admins (and System Admins). The rules of standing
 * are in `auth/org-access.ts`.
 */
import type { Group, Organization } from '../../lib/model.ts';
import { accessTo, type Access } from '../auth/org-access.ts';
import type { Principal } from '../auth/principal.ts';
import { withinOrgBoundary } from '../auth/resource-bounds.ts';
import { problems } from '../http/problems.ts';
import type { GroupRecord, OrgRecord, OrgStore, ScopeKind } from '../store/org-store.ts';

export const LEVEL_LABEL: Record<ScopeKind, string> = { organization: 'organization', group: 'group' };

/** The organisation, if the caller may know it exists (else 404). */
export async function orgFor(orgs: OrgStore, principal: Principal, id: string): Promise<{ org: OrgRecord; access: Access }> {
  const org = await orgs.getOrg(id);
  const access = org ? await accessTo(orgs, principal, 'organization', org.id, org.id) : 'none';
  if (!org || access === 'none') throw problems.notFound('That organization');
  return { org, access };
}

/** The group of that organisation, if the caller may know it exists (else 404). */
export async function groupFor(orgs: OrgStore, principal: Principal, orgId: string, groupId: string): Promise<{ group: GroupRecord; access: Access }> {
  const group = await orgs.getGroup(groupId);
  const access = group && group.org_id === orgId ? await accessTo(orgs, principal, 'group', group.id, group.org_id) : 'none';
  if (!group || access === 'none') throw problems.notFound('That group');
  return { group, access };
}

/** Members without the admin role may not see a level's tokens; viewers (users:read) may not change them. */
export function requireTokenAccess(access: Access, kind: ScopeKind, write: boolean): void {
  const label = LEVEL_LABEL[kind];
  if (access === 'member') throw problems.forbidden(`Only ${label} admins manage this ${label}'s access tokens.`);
  if (access === 'view' && write) throw problems.forbidden(`Managing this ${label}'s tokens needs its admin role or the users:write permission.`);
}

export async function orgDto(orgs: OrgStore, principal: Principal, org: OrgRecord, access?: Access): Promise<Organization> {
  const level = access ?? (await accessTo(orgs, principal, 'organization', org.id, org.id));
  return { ...org, role: await orgs.roleOf('organization', org.id, principal.user.id), can_manage_tokens: level === 'manage' };
}

export async function groupDto(orgs: OrgStore, principal: Principal, group: GroupRecord, access?: Access): Promise<Group> {
  const level = access ?? (await accessTo(orgs, principal, 'group', group.id, group.org_id));
  return { ...group, role: await orgs.roleOf('group', group.id, principal.user.id), can_manage_tokens: level === 'manage' };
}

/** The organisations the caller belongs to (System Admins and users:read: all), as the caller sees them. */
export async function visibleOrgs(orgs: OrgStore, principal: Principal): Promise<Organization[]> {
  const all = principal.effective.has('users:read');
  const listed = (await orgs.listOrgs(all ? null : principal.user.id)).filter((org) => withinOrgBoundary(principal, org.id));
  return Promise.all(listed.map((org) => orgDto(orgs, principal, org)));
}

/** The organisation's groups the caller may see. */
export async function visibleGroups(orgs: OrgStore, principal: Principal, orgId: string): Promise<Group[]> {
  const levels = await Promise.all(
    (await orgs.listGroups(orgId)).map(async (group) => ({ group, access: await accessTo(orgs, principal, 'group', group.id, group.org_id) })),
  );
  return Promise.all(levels.filter(({ access }) => access !== 'none').map(({ group, access }) => groupDto(orgs, principal, group, access)));
}
