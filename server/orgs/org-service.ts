/**
 * Changes to organisations, groups and memberships (System Admins), each written with its audit
 * entry. A technical user belongs only to the level of its own token.
 */
import type { MemberRole } from '../../lib/model.ts';
import { nowIso, type AppContext } from '../app-context.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { publicId } from '../auth/credentials.ts';
import type { Caller } from '../auth/principal.ts';
import { conflictAsProblem, problems } from '../http/problems.ts';
import type { GroupRecord, MembershipRecord, OrgPolicyPatch, OrgRecord, ScopeKind } from '../store/org-store.ts';

export function createOrg(ctx: AppContext, caller: Caller, name: string): Promise<OrgRecord> {
  const id = publicId('org');
  return conflictAsProblem(() => ctx.store.orgs.createOrg({ id, name, created_at: nowIso(ctx) }, auditEntry(ctx, caller, 'org.created', { detail: { org_id: id, name } })));
}

export function createGroup(ctx: AppContext, caller: Caller, orgId: string, name: string): Promise<GroupRecord> {
  const id = publicId('grp');
  return conflictAsProblem(() =>
    ctx.store.orgs.createGroup({ id, org_id: orgId, name, created_at: nowIso(ctx) }, auditEntry(ctx, caller, 'group.created', { detail: { org_id: orgId, group_id: id, name } })),
  );
}

/** Deletes an organisation with its groups, memberships, tokens and technical users. */
export async function deleteOrg(ctx: AppContext, caller: Caller, org: OrgRecord): Promise<void> {
  const deleted = await ctx.store.orgs.deleteOrg(
    org.id,
    auditEntry(ctx, caller, 'org.deleted', { detail: { org_id: org.id, name: org.name } }),
    auditEntry(ctx, caller, 'token.deleted', { detail: { reason: 'organization_deleted', org_id: org.id } }),
  );
  if (deleted === null) throw problems.notFound('That organization');
}

/** Deletes a group with its memberships, tokens and technical users. */
export async function deleteGroup(ctx: AppContext, caller: Caller, group: GroupRecord): Promise<void> {
  const deleted = await ctx.store.orgs.deleteGroup(
    group.id,
    auditEntry(ctx, caller, 'group.deleted', { detail: { org_id: group.org_id, group_id: group.id, name: group.name } }),
    auditEntry(ctx, caller, 'token.deleted', { detail: { reason: 'group_deleted', group_id: group.id } }),
  );
  if (deleted === null) throw problems.notFound('That group');
}

const ACTION_PREFIX: Record<ScopeKind, string> = { organization: 'org', group: 'group' };
const ID_FIELD: Record<ScopeKind, string> = { organization: 'org_id', group: 'group_id' };

/** Adds a member or changes their role. */
export async function setMember(ctx: AppContext, caller: Caller, kind: ScopeKind, scopeId: string, userId: string, role: MemberRole): Promise<MembershipRecord> {
  const orgs = ctx.store.orgs;
  const user = await ctx.store.getUser(userId);
  if (!user) throw problems.notFound('That user');
  const previous = await orgs.roleOf(kind, scopeId, user.id);
  if (user.kind === 'technical' && previous === null) {
    throw problems.conflict('A technical user belongs to its own token’s organization or group only.');
  }
  const action = `${ACTION_PREFIX[kind]}.${previous === null ? 'member_added' : 'member_role_changed'}`;
  return orgs.setMember(kind, scopeId, user.id, role, nowIso(ctx), auditEntry(ctx, caller, action, { owner_id: user.id, detail: { [ID_FIELD[kind]]: scopeId, role, previous } }));
}

export async function removeMember(ctx: AppContext, caller: Caller, kind: ScopeKind, scopeId: string, userId: string): Promise<void> {
  const removed = await ctx.store.orgs.removeMember(
    kind,
    scopeId,
    userId,
    auditEntry(ctx, caller, `${ACTION_PREFIX[kind]}.member_removed`, { owner_id: userId, detail: { [ID_FIELD[kind]]: scopeId } }),
  );
  if (!removed) throw problems.notFound('That membership');
}

/** Changes an organisation's token policies (docs/security.md rules 35, 36); audited with the new values. */
export async function updateOrgPolicy(ctx: AppContext, caller: Caller, org: OrgRecord, patch: OrgPolicyPatch): Promise<OrgRecord> {
  const detail: Record<string, boolean | number | null> = {};
  if (patch.require_token_approval !== undefined) detail.require_token_approval = patch.require_token_approval;
  if (patch.max_token_lifetime_days !== undefined) detail.max_token_lifetime_days = patch.max_token_lifetime_days;
  const updated = await ctx.store.orgs.updateOrgPolicy(org.id, patch, auditEntry(ctx, caller, 'org.updated', { detail: { org_id: org.id, ...detail } }));
  if (!updated) throw problems.notFound('That organization');
  return updated;
}
