/**
 * The organisation section of the storage boundary: organisations, their groups, memberships, and the
 * technical users that back organisation and group tokens. Like the rest of `Store`, every write is
 * one transaction that carries its audit entries, and clears the verified-token cache.
 */
import type { MemberRole } from '../../lib/model.ts';
import type { AuditEntry, NewToken, NewUser, TokenRecord, UserRecord } from './records.ts';

export type ScopeKind = 'organization' | 'group';

export interface OrgRecord {
  id: string;
  name: string;
  created_at: string;
  /** New tokens governed by this organisation wait for approval (docs/security.md rule 35). */
  require_token_approval: boolean;
  /** Cap on the lifetime of tokens governed by this organisation, checked at use too (null = none). */
  max_token_lifetime_days: number | null;
}

export type OrgPolicyPatch = Partial<Pick<OrgRecord, 'require_token_approval' | 'max_token_lifetime_days'>>;

export interface GroupRecord {
  id: string;
  org_id: string;
  name: string;
  created_at: string;
}

export interface MembershipRecord {
  user: Pick<UserRecord, 'id' | 'username' | 'display_name' | 'kind'>;
  role: MemberRole;
  created_at: string;
}

/** One row of "where is this user a member", for authorisation and for listing. */
export interface UserMembership {
  kind: ScopeKind;
  /** The organisation id or the group id. */
  scope_id: string;
  /** The organisation (for a group: the group's organisation). */
  org_id: string;
  role: MemberRole;
}

/** A creator whose right to make an organisation or group token is an admin membership. */
export interface ScopedTokenCreator {
  user_id: string;
  org_id: string;
  /** The group, for a group token (its admins may create them too); null for an organisation token. */
  group_id: string | null;
}

export interface OrgStore {
  /** Throws `ConflictError` when the name is taken. */
  createOrg(org: Pick<OrgRecord, 'id' | 'name' | 'created_at'>, audit: AuditEntry): Promise<OrgRecord>;
  getOrg(id: string): Promise<OrgRecord | null>;
  /** Changes the organisation's token policies; null when there is no such organisation. */
  updateOrgPolicy(id: string, patch: OrgPolicyPatch, audit: AuditEntry): Promise<OrgRecord | null>;
  /** Every organisation (`null`), or those where this user is a member of the org or one of its groups. */
  listOrgs(memberUserId: string | null): Promise<OrgRecord[]>;
  /**
   * Deletes the organisation, its groups and memberships, and every token of the organisation and
   * its groups with their technical users. `tokenAudit` is the template of each token's
   * `token.deleted` entry. Returns the deleted token ids, or null when there is no such organisation.
   */
  deleteOrg(id: string, audit: AuditEntry, tokenAudit: AuditEntry): Promise<string[] | null>;

  /** Throws `ConflictError` when the organisation already has a group of that name. */
  createGroup(group: GroupRecord, audit: AuditEntry): Promise<GroupRecord>;
  getGroup(id: string): Promise<GroupRecord | null>;
  listGroups(orgId: string): Promise<GroupRecord[]>;
  deleteGroup(id: string, audit: AuditEntry, tokenAudit: AuditEntry): Promise<string[] | null>;

  /** Adds the member or changes their role. */
  setMember(kind: ScopeKind, scopeId: string, userId: string, role: MemberRole, at: string, audit: AuditEntry): Promise<MembershipRecord>;
  /** False when the user was not a member. */
  removeMember(kind: ScopeKind, scopeId: string, userId: string, audit: AuditEntry): Promise<boolean>;
  listMembers(kind: ScopeKind, scopeId: string): Promise<MembershipRecord[]>;
  roleOf(kind: ScopeKind, scopeId: string, userId: string): Promise<MemberRole | null>;
  membershipsOf(userId: string): Promise<UserMembership[]>;

  /**
   * Creates the technical user, makes it a member of the organisation or group with `role`, and
   * inserts its token: one transaction, so there is never a technical user without its token. With
   * `creator`, whose right to do so is an admin role in the organisation (or in the group), that
   * role is checked again under its row lock: `ConflictError` and nothing written when it has gone
   * (docs/security.md rule 27).
   */
  createScopedToken(user: NewUser, role: MemberRole, token: NewToken, audits: AuditEntry[], creator?: ScopedTokenCreator): Promise<TokenRecord>;
  /** Tokens owned by technical users of this organisation or group, newest first. */
  listScopedTokens(kind: ScopeKind, scopeId: string): Promise<TokenRecord[]>;
}
