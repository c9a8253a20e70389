/**
 * `OrgStore` on the PostgreSQL database of `PostgresStore`: it borrows that store's pool and
 * transactions. Memberships are read from the database on every call (no cache), so a removed
 * membership or a lowered role takes effect on every instance at its next request.
 */
import type { MemberRole } from '../../../lib/model.ts';
import type { GroupRecord, MembershipRecord, OrgPolicyPatch, OrgRecord, OrgStore, ScopedTokenCreator, ScopeKind, UserMembership } from '../org-store.ts';
import { requireStillAdmin } from '../preconditions.ts';
import { ConflictError } from '../errors.ts';
import type { AuditEntry, NewToken, NewUser, TokenRecord } from '../records.ts';
import { toGroup, toMembership, toOrg, toUserMembership, type Row } from '../row-mapping.ts';
import { MEMBER_TABLE } from '../query-pieces.ts';
import { scopedTokenDeleted } from '../audit-entries.ts';
import { isUniqueViolation, type PostgresDatabase, type Queryable } from './postgres-database.ts';
import type { PostgresUsers } from './postgres-users.ts';
import type { PostgresTokens } from './postgres-tokens.ts';

export class PostgresOrgSection implements OrgStore {
  readonly #db: PostgresDatabase;
  readonly #users: PostgresUsers;
  readonly #tokens: PostgresTokens;

  /** Technical users and their tokens are written with the user and token sections, in this section's transactions. */
  constructor(db: PostgresDatabase, users: PostgresUsers, tokens: PostgresTokens) {
    this.#db = db;
    this.#users = users;
    this.#tokens = tokens;
  }

  async createOrg(org: Pick<OrgRecord, 'id' | 'name' | 'created_at'>, audit: AuditEntry): Promise<OrgRecord> {
    return this.#db.transaction(async (client) => {
      try {
        await client.query('INSERT INTO organizations (id, name, created_at) VALUES ($1, $2, $3)', [org.id, org.name, org.created_at]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`An organization named "${org.name}" exists.`, 'name');
        throw error;
      }
      await this.#db.audit(client, audit);
      return (await this.#org(client, org.id))!;
    });
  }

  async #org(client: Queryable, id: string): Promise<OrgRecord | null> {
    const row = (await client.query({ name: 'org_by_id', text: 'SELECT id, name, created_at, require_token_approval, max_token_lifetime_days FROM organizations WHERE id = $1', values: [id] })).rows[0] as Row | undefined;
    return row ? toOrg(row) : null;
  }

  getOrg(id: string): Promise<OrgRecord | null> {
    return this.#org(this.#db.pooled, id);
  }

  async updateOrgPolicy(id: string, patch: OrgPolicyPatch, audit: AuditEntry): Promise<OrgRecord | null> {
    return this.#db.transaction(async (client) => {
      if ((await client.query('SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return null;
      if (patch.require_token_approval !== undefined) {
        await client.query('UPDATE organizations SET require_token_approval = $1 WHERE id = $2', [patch.require_token_approval, id]);
      }
      if (patch.max_token_lifetime_days !== undefined) {
        await client.query('UPDATE organizations SET max_token_lifetime_days = $1 WHERE id = $2', [patch.max_token_lifetime_days, id]);
      }
      await this.#db.audit(client, audit);
      return this.#org(client, id);
    });
  }

  async listOrgs(memberUserId: string | null): Promise<OrgRecord[]> {
    if (memberUserId === null) {
      return ((await this.#db.query('SELECT id, name, created_at, require_token_approval, max_token_lifetime_days FROM organizations ORDER BY lower(name) COLLATE "C", id COLLATE "C"')).rows as Row[]).map(toOrg);
    }
    const rows = (
      await this.#db.query(
        `SELECT o.id, o.name, o.created_at, o.require_token_approval, o.max_token_lifetime_days FROM organizations o WHERE
           EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = o.id AND m.user_id = $1)
           OR EXISTS (SELECT 1 FROM group_members gm JOIN org_groups g ON g.id = gm.group_id WHERE g.org_id = o.id AND gm.user_id = $1)
         ORDER BY lower(o.name) COLLATE "C", o.id COLLATE "C"`,
        [memberUserId],
      )
    ).rows as Row[];
    return rows.map(toOrg);
  }

  /** Deletes the tokens of these scopes and their technical users; audits each token. */
  async #deleteScopedTokens(client: Queryable, scopeIds: string[], tokenAudit: AuditEntry): Promise<string[]> {
    const deleted: string[] = [];
    for (const scopeId of scopeIds) {
      const rows = (
        await client.query(
          "SELECT id, owner_user_id, name FROM tokens WHERE owner_scope_id = $1 AND owner_kind IN ('organization', 'group') ORDER BY id FOR UPDATE",
          [scopeId],
        )
      ).rows as Row[];
      for (const row of rows) {
        await client.query('DELETE FROM tokens WHERE id = $1', [row.id]);
        await client.query("DELETE FROM users WHERE id = $1 AND kind = 'technical'", [row.owner_user_id]);
        await this.#db.audit(client, scopedTokenDeleted(tokenAudit, row as { id: string; owner_user_id: string; name: string }));
        deleted.push(row.id as string);
      }
    }
    return deleted;
  }

  async deleteOrg(id: string, audit: AuditEntry, tokenAudit: AuditEntry): Promise<string[] | null> {
    return this.#db.transaction(async (client) => {
      if ((await client.query('SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return null;
      const groupIds = (await this.#groups(client, id)).map((g) => g.id);
      const deleted = await this.#deleteScopedTokens(client, [id, ...groupIds], tokenAudit);
      await client.query('DELETE FROM organizations WHERE id = $1', [id]);
      await this.#db.audit(client, { ...audit, detail: { ...audit.detail, groups: groupIds.length, tokens: deleted.length } });
      return deleted;
    });
  }

  async createGroup(group: GroupRecord, audit: AuditEntry): Promise<GroupRecord> {
    return this.#db.transaction(async (client) => {
      try {
        await client.query('INSERT INTO org_groups (id, org_id, name, created_at) VALUES ($1, $2, $3, $4)', [group.id, group.org_id, group.name, group.created_at]);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`This organization already has a group named "${group.name}".`, 'name');
        throw error;
      }
      await this.#db.audit(client, audit);
      return (await this.#group(client, group.id))!;
    });
  }

  async #group(client: Queryable, id: string): Promise<GroupRecord | null> {
    const row = (await client.query({ name: 'group_by_id', text: 'SELECT id, org_id, name, created_at FROM org_groups WHERE id = $1', values: [id] })).rows[0] as
      | Row
      | undefined;
    return row ? toGroup(row) : null;
  }

  getGroup(id: string): Promise<GroupRecord | null> {
    return this.#group(this.#db.pooled, id);
  }

  async #groups(client: Queryable, orgId: string): Promise<GroupRecord[]> {
    const rows = (await client.query('SELECT id, org_id, name, created_at FROM org_groups WHERE org_id = $1 ORDER BY lower(name) COLLATE "C", id COLLATE "C"', [orgId]))
      .rows as Row[];
    return rows.map(toGroup);
  }

  listGroups(orgId: string): Promise<GroupRecord[]> {
    return this.#groups(this.#db.pooled, orgId);
  }

  async deleteGroup(id: string, audit: AuditEntry, tokenAudit: AuditEntry): Promise<string[] | null> {
    return this.#db.transaction(async (client) => {
      if ((await client.query('SELECT 1 FROM org_groups WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return null;
      const deleted = await this.#deleteScopedTokens(client, [id], tokenAudit);
      await client.query('DELETE FROM org_groups WHERE id = $1', [id]);
      await this.#db.audit(client, { ...audit, detail: { ...audit.detail, tokens: deleted.length } });
      return deleted;
    });
  }

  async setMember(kind: ScopeKind, scopeId: string, userId: string, role: MemberRole, at: string, audit: AuditEntry): Promise<MembershipRecord> {
    const { table, column } = MEMBER_TABLE[kind];
    return this.#db.transaction(async (client) => {
      await client.query(
        `INSERT INTO ${table} (${column}, user_id, role, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (${column}, user_id) DO UPDATE SET role = excluded.role`,
        [scopeId, userId, role, at],
      );
      await this.#db.audit(client, audit);
      return (await this.#members(client, kind, scopeId)).find((m) => m.user.id === userId)!;
    });
  }

  async removeMember(kind: ScopeKind, scopeId: string, userId: string, audit: AuditEntry): Promise<boolean> {
    const { table, column } = MEMBER_TABLE[kind];
    return this.#db.transaction(async (client) => {
      const removed = (await client.query(`DELETE FROM ${table} WHERE ${column} = $1 AND user_id = $2`, [scopeId, userId])).rowCount === 1;
      if (removed) await this.#db.audit(client, audit);
      return removed;
    });
  }

  async #members(client: Queryable, kind: ScopeKind, scopeId: string): Promise<MembershipRecord[]> {
    const { table, column } = MEMBER_TABLE[kind];
    const rows = (
      await client.query(
        `SELECT u.id, u.username, u.display_name, u.kind, m.role, m.created_at FROM ${table} m JOIN users u ON u.id = m.user_id
         WHERE m.${column} = $1 ORDER BY u.kind COLLATE "C", lower(u.username) COLLATE "C"`,
        [scopeId],
      )
    ).rows as Row[];
    return rows.map(toMembership);
  }

  listMembers(kind: ScopeKind, scopeId: string): Promise<MembershipRecord[]> {
    return this.#members(this.#db.pooled, kind, scopeId);
  }

  async roleOf(kind: ScopeKind, scopeId: string, userId: string): Promise<MemberRole | null> {
    const { table, column } = MEMBER_TABLE[kind];
    const row = (await this.#db.query(`SELECT role FROM ${table} WHERE ${column} = $1 AND user_id = $2`, [scopeId, userId])).rows[0] as Row | undefined;
    return row ? (row.role as MemberRole) : null;
  }

  async membershipsOf(userId: string): Promise<UserMembership[]> {
    const rows = (
      await this.#db.query({
        name: 'memberships_of',
        text: `SELECT 'organization' AS kind, org_id AS scope_id, org_id, role FROM org_members WHERE user_id = $1
               UNION ALL
               SELECT 'group' AS kind, gm.group_id AS scope_id, g.org_id, gm.role FROM group_members gm JOIN org_groups g ON g.id = gm.group_id WHERE gm.user_id = $1`,
        values: [userId],
      })
    ).rows as Row[];
    return rows.map(toUserMembership);
  }

  async createScopedToken(user: NewUser, role: MemberRole, token: NewToken, audits: AuditEntry[], creator?: ScopedTokenCreator): Promise<TokenRecord> {
    const kind = token.owner_kind;
    if (kind === 'user' || token.owner_scope_id === null || user.kind !== 'technical') throw new Error('createScopedToken needs a technical user and a scope');
    const { table, column } = MEMBER_TABLE[kind];
    return this.#db.transaction(async (client) => {
      if (creator) {
        // FOR SHARE waits for a demotion or removal in flight and then sees its result.
        const org = await client.query("SELECT 1 FROM org_members WHERE org_id = $1 AND user_id = $2 AND role = 'admin' FOR SHARE", [creator.org_id, creator.user_id]);
        const group = await client.query("SELECT 1 FROM group_members WHERE group_id = $1 AND user_id = $2 AND role = 'admin' FOR SHARE", [creator.group_id, creator.user_id]);
        requireStillAdmin((org.rowCount ?? 0) + (group.rowCount ?? 0));
      }
      await this.#users.insertUser(client, user);
      await client.query(`INSERT INTO ${table} (${column}, user_id, role, created_at) VALUES ($1, $2, $3, $4)`, [token.owner_scope_id, user.id, role, user.created_at]);
      await this.#tokens.insertRow(client, token);
      for (const audit of audits) await this.#db.audit(client, audit);
      return (await this.#tokens.byId(client, token.id))!;
    });
  }

  async listScopedTokens(kind: ScopeKind, scopeId: string): Promise<TokenRecord[]> {
    const rows = (await this.#db.query('SELECT id FROM tokens WHERE owner_scope_id = $1 AND owner_kind = $2 ORDER BY created_at COLLATE "C" DESC, id COLLATE "C" DESC', [scopeId, kind]))
      .rows as Row[];
    const tokens = await Promise.all(rows.map((row) => this.#tokens.byId(this.#db.pooled, row.id as string)));
    return tokens.filter((t): t is TokenRecord => t !== null);
  }
}
