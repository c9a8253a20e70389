/**
 * `OrgStore` on the SQLite file of `SqliteStore`: it borrows that store's prepared statements and
 * transactions (so every write here also clears the verified-token cache).
 */
import type { MemberRole } from '../../../lib/model.ts';
import type { GroupRecord, MembershipRecord, OrgPolicyPatch, OrgRecord, OrgStore, ScopedTokenCreator, ScopeKind, UserMembership } from '../org-store.ts';
import { requireStillAdmin } from '../preconditions.ts';
import { ConflictError } from '../errors.ts';
import type { AuditEntry, NewToken, NewUser, TokenRecord } from '../records.ts';
import type { SqliteDatabase } from './sqlite-database.ts';
import type { SqliteUsers } from './sqlite-users.ts';
import type { SqliteTokens } from './sqlite-tokens.ts';
import { toGroup, toMembership, toOrg, toUserMembership, type Row } from '../row-mapping.ts';
import { MEMBER_TABLE } from '../query-pieces.ts';
import { scopedTokenDeleted } from '../audit-entries.ts';

export class SqliteOrgSection implements OrgStore {
  readonly #db: SqliteDatabase;
  readonly #users: SqliteUsers;
  readonly #tokens: SqliteTokens;

  /** Technical users and their tokens are written with the user and token sections, in this section's transactions. */
  constructor(db: SqliteDatabase, users: SqliteUsers, tokens: SqliteTokens) {
    this.#db = db;
    this.#users = users;
    this.#tokens = tokens;
  }

  async createOrg(org: Pick<OrgRecord, 'id' | 'name' | 'created_at'>, audit: AuditEntry): Promise<OrgRecord> {
    return this.#db.transaction(() => {
      if (this.#db.stmt('SELECT 1 FROM organizations WHERE name = ?').get(org.name)) {
        throw new ConflictError(`An organization named "${org.name}" exists.`, 'name');
      }
      this.#db.stmt('INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)').run(org.id, org.name, org.created_at);
      this.#db.audit(audit);
      return this.#org(org.id)!;
    });
  }

  async getOrg(id: string): Promise<OrgRecord | null> {
    return this.#org(id);
  }

  #org(id: string): OrgRecord | null {
    const row = this.#db.stmt('SELECT id, name, created_at, require_token_approval, max_token_lifetime_days FROM organizations WHERE id = ?').get(id) as Row | undefined;
    return row ? toOrg(row) : null;
  }

  async updateOrgPolicy(id: string, patch: OrgPolicyPatch, audit: AuditEntry): Promise<OrgRecord | null> {
    return this.#db.transaction(() => {
      if (!this.#org(id)) return null;
      if (patch.require_token_approval !== undefined) {
        this.#db.stmt('UPDATE organizations SET require_token_approval = ? WHERE id = ?').run(patch.require_token_approval ? 1 : 0, id);
      }
      if (patch.max_token_lifetime_days !== undefined) {
        this.#db.stmt('UPDATE organizations SET max_token_lifetime_days = ? WHERE id = ?').run(patch.max_token_lifetime_days, id);
      }
      this.#db.audit(audit);
      return this.#org(id);
    });
  }

  async listOrgs(memberUserId: string | null): Promise<OrgRecord[]> {
    if (memberUserId === null) {
      return (this.#db.stmt('SELECT id, name, created_at, require_token_approval, max_token_lifetime_days FROM organizations ORDER BY lower(name), id').all() as Row[]).map(toOrg);
    }
    const rows = this.#db
      .stmt(
        `SELECT o.id, o.name, o.created_at, o.require_token_approval, o.max_token_lifetime_days FROM organizations o WHERE
           EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = o.id AND m.user_id = ?)
           OR EXISTS (SELECT 1 FROM group_members gm JOIN org_groups g ON g.id = gm.group_id WHERE g.org_id = o.id AND gm.user_id = ?)
         ORDER BY lower(o.name), o.id`,
      )
      .all(memberUserId, memberUserId) as Row[];
    return rows.map(toOrg);
  }

  /** Deletes the tokens of these scopes and their technical users; audits each token. */
  #deleteScopedTokens(scopeIds: string[], tokenAudit: AuditEntry): string[] {
    const deleted: string[] = [];
    for (const scopeId of scopeIds) {
      const rows = this.#db
        .stmt("SELECT id, owner_user_id, name FROM tokens WHERE owner_scope_id = ? AND owner_kind IN ('organization', 'group')")
        .all(scopeId) as Row[];
      for (const row of rows) {
        this.#db.stmt('DELETE FROM tokens WHERE id = ?').run(row.id as string);
        this.#db.stmt("DELETE FROM users WHERE id = ? AND kind = 'technical'").run(row.owner_user_id as string);
        this.#db.audit(scopedTokenDeleted(tokenAudit, row as { id: string; owner_user_id: string; name: string }));
        deleted.push(row.id as string);
      }
    }
    return deleted;
  }

  async deleteOrg(id: string, audit: AuditEntry, tokenAudit: AuditEntry): Promise<string[] | null> {
    return this.#db.transaction(() => {
      if (!this.#org(id)) return null;
      const groupIds = this.#groups(id).map((g) => g.id);
      const deleted = this.#deleteScopedTokens([id, ...groupIds], tokenAudit);
      this.#db.stmt('DELETE FROM organizations WHERE id = ?').run(id);
      this.#db.audit({ ...audit, detail: { ...audit.detail, groups: groupIds.length, tokens: deleted.length } });
      return deleted;
    });
  }

  async createGroup(group: GroupRecord, audit: AuditEntry): Promise<GroupRecord> {
    return this.#db.transaction(() => {
      if (this.#db.stmt('SELECT 1 FROM org_groups WHERE org_id = ? AND name = ?').get(group.org_id, group.name)) {
        throw new ConflictError(`This organization already has a group named "${group.name}".`, 'name');
      }
      this.#db
        .stmt('INSERT INTO org_groups (id, org_id, name, created_at) VALUES (?, ?, ?, ?)')
        .run(group.id, group.org_id, group.name, group.created_at);
      this.#db.audit(audit);
      return this.#group(group.id)!;
    });
  }

  async getGroup(id: string): Promise<GroupRecord | null> {
    return this.#group(id);
  }

  #group(id: string): GroupRecord | null {
    const row = this.#db.stmt('SELECT id, org_id, name, created_at FROM org_groups WHERE id = ?').get(id) as Row | undefined;
    return row ? toGroup(row) : null;
  }

  async listGroups(orgId: string): Promise<GroupRecord[]> {
    return this.#groups(orgId);
  }

  #groups(orgId: string): GroupRecord[] {
    return (this.#db.stmt('SELECT id, org_id, name, created_at FROM org_groups WHERE org_id = ? ORDER BY lower(name), id').all(orgId) as Row[]).map(
      toGroup,
    );
  }

  async deleteGroup(id: string, audit: AuditEntry, tokenAudit: AuditEntry): Promise<string[] | null> {
    return this.#db.transaction(() => {
      if (!this.#group(id)) return null;
      const deleted = this.#deleteScopedTokens([id], tokenAudit);
      this.#db.stmt('DELETE FROM org_groups WHERE id = ?').run(id);
      this.#db.audit({ ...audit, detail: { ...audit.detail, tokens: deleted.length } });
      return deleted;
    });
  }

  async setMember(kind: ScopeKind, scopeId: string, userId: string, role: MemberRole, at: string, audit: AuditEntry): Promise<MembershipRecord> {
    const { table, column } = MEMBER_TABLE[kind];
    return this.#db.transaction(() => {
      this.#db
        .stmt(`INSERT INTO ${table} (${column}, user_id, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (${column}, user_id) DO UPDATE SET role = excluded.role`)
        .run(scopeId, userId, role, at);
      this.#db.audit(audit);
      return this.#members(kind, scopeId).find((m) => m.user.id === userId)!;
    });
  }

  async removeMember(kind: ScopeKind, scopeId: string, userId: string, audit: AuditEntry): Promise<boolean> {
    const { table, column } = MEMBER_TABLE[kind];
    return this.#db.transaction(() => {
      const removed = Number(this.#db.stmt(`DELETE FROM ${table} WHERE ${column} = ? AND user_id = ?`).run(scopeId, userId).changes) === 1;
      if (removed) this.#db.audit(audit);
      return removed;
    });
  }

  async listMembers(kind: ScopeKind, scopeId: string): Promise<MembershipRecord[]> {
    return this.#members(kind, scopeId);
  }

  #members(kind: ScopeKind, scopeId: string): MembershipRecord[] {
    const { table, column } = MEMBER_TABLE[kind];
    const rows = this.#db
      .stmt(
        `SELECT u.id, u.username, u.display_name, u.kind, m.role, m.created_at FROM ${table} m JOIN users u ON u.id = m.user_id
         WHERE m.${column} = ? ORDER BY u.kind, lower(u.username)`,
      )
      .all(scopeId) as Row[];
    return rows.map(toMembership);
  }

  async roleOf(kind: ScopeKind, scopeId: string, userId: string): Promise<MemberRole | null> {
    const { table, column } = MEMBER_TABLE[kind];
    const row = this.#db.stmt(`SELECT role FROM ${table} WHERE ${column} = ? AND user_id = ?`).get(scopeId, userId) as Row | undefined;
    return row ? (row.role as MemberRole) : null;
  }

  async membershipsOf(userId: string): Promise<UserMembership[]> {
    const rows = this.#db
      .stmt(
        `SELECT 'organization' AS kind, org_id AS scope_id, org_id, role FROM org_members WHERE user_id = ?
         UNION ALL
         SELECT 'group' AS kind, gm.group_id AS scope_id, g.org_id, gm.role FROM group_members gm JOIN org_groups g ON g.id = gm.group_id WHERE gm.user_id = ?`,
      )
      .all(userId, userId) as Row[];
    return rows.map(toUserMembership);
  }

  async createScopedToken(user: NewUser, role: MemberRole, token: NewToken, audits: AuditEntry[], creator?: ScopedTokenCreator): Promise<TokenRecord> {
    const kind = token.owner_kind;
    if (kind === 'user' || token.owner_scope_id === null || user.kind !== 'technical') throw new Error('createScopedToken needs a technical user and a scope');
    const { table, column } = MEMBER_TABLE[kind];
    return this.#db.transaction(() => {
      if (creator) {
        const admin = this.#db
          .stmt(
            `SELECT 1 FROM org_members WHERE org_id = ?1 AND user_id = ?2 AND role = 'admin'
             UNION ALL SELECT 1 FROM group_members WHERE group_id = ?3 AND user_id = ?2 AND role = 'admin'`,
          )
          .all(creator.org_id, creator.user_id, creator.group_id);
        requireStillAdmin(admin.length);
      }
      this.#users.insertUser(user);
      this.#db.stmt(`INSERT INTO ${table} (${column}, user_id, role, created_at) VALUES (?, ?, ?, ?)`).run(token.owner_scope_id, user.id, role, user.created_at);
      this.#tokens.insertRow(token);
      for (const audit of audits) this.#db.audit(audit);
      return this.#tokens.byId(token.id)!;
    });
  }

  async listScopedTokens(kind: ScopeKind, scopeId: string): Promise<TokenRecord[]> {
    const rows = this.#db.stmt('SELECT id FROM tokens WHERE owner_scope_id = ? AND owner_kind = ? ORDER BY created_at DESC, id DESC').all(scopeId, kind) as Row[];
    return rows.map((row) => this.#tokens.byId(row.id as string)).filter((t): t is TokenRecord => t !== null);
  }
}
