/** Users and their roles in the SQLite file (sessions: `sqlite-sessions.ts`). */
import { ConflictError } from '../errors.ts';
import type { AuditEntry, KeepRole, NewUser, UserPatch, UserRecord, UserWithPassword } from '../records.ts';
import { requireRoleKept } from '../preconditions.ts';
import { toUser, toUserWithPassword, type Row } from '../row-mapping.ts';
import { userColumns, userListSql } from '../query-pieces.ts';
import { SQLITE_DIALECT, type SqliteDatabase } from './sqlite-database.ts';

const USER_COLUMNS = userColumns(SQLITE_DIALECT);

export class SqliteUsers {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** The user row and its roles, inside the caller's transaction (a taken name fails on the UNIQUE index). */
  insertUser(user: NewUser): void {
    this.#db
      .stmt(
        `INSERT INTO users (id, username, display_name, kind, password_hash, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
      )
      .run(user.id, user.username, user.display_name, user.kind, user.password_hash, user.created_at, user.created_at);
    for (const role of new Set(user.roles)) this.#db.stmt('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').run(user.id, role);
  }

  async createUser(user: NewUser, audit: AuditEntry | null): Promise<UserRecord> {
    return this.#db.transaction(() => {
      if (this.#db.stmt('SELECT 1 FROM users WHERE username = ?').get(user.username)) {
        throw new ConflictError(`The username "${user.username}" is taken.`, 'username');
      }
      this.insertUser(user);
      this.#db.audit(audit);
      return this.#userById(user.id)!;
    });
  }

  async getUser(id: string): Promise<UserWithPassword | null> {
    return this.#userById(id);
  }

  #userById(id: string): UserWithPassword | null {
    const row = this.#db.stmt(`SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE u.id = ?`).get(id) as Row | undefined;
    return row ? toUserWithPassword(row) : null;
  }

  /** The username column is COLLATE NOCASE: any capitalisation finds the user. */
  async getUserByUsername(username: string): Promise<UserWithPassword | null> {
    const row = this.#db.stmt(`SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = ?`).get(username) as Row | undefined;
    return row ? toUserWithPassword(row) : null;
  }

  async listUsers(query: { text: string | null; after: string | null; limit: number }): Promise<UserRecord[]> {
    const { sql, params } = userListSql(SQLITE_DIALECT, query);
    return (this.#db.stmt(sql).all(...(params as (string | number)[])) as Row[]).map(toUser);
  }

  /** Inside the caller's transaction: throws when no active user holds `keep.keep_active_role` any more. */
  #keepRole(keep: KeepRole | undefined): void {
    if (keep?.keep_active_role === undefined) return;
    requireRoleKept(this.#countActive(keep.keep_active_role), keep.keep_active_role);
  }

  async updateUser(id: string, patch: UserPatch, audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null> {
    return this.#db.transaction(() => {
      if (!this.#db.stmt('SELECT 1 FROM users WHERE id = ?').get(id)) return null;
      const now = audit?.at ?? new Date().toISOString();
      if (patch.display_name !== undefined) this.#db.stmt('UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?').run(patch.display_name, now, id);
      if (patch.password_hash !== undefined) {
        this.#db.stmt('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(patch.password_hash, now, id);
        // A new password ends every session signed in with the old one (tokens are unaffected).
        this.#db.stmt('DELETE FROM sessions WHERE user_id = ?').run(id);
      }
      if (patch.active !== undefined) {
        this.#db.stmt('UPDATE users SET active = ?, updated_at = ? WHERE id = ?').run(patch.active ? 1 : 0, now, id);
        if (!patch.active) this.#db.stmt('DELETE FROM sessions WHERE user_id = ?').run(id);
      }
      this.#keepRole(keep);
      this.#db.audit(audit);
      return this.#userById(id);
    });
  }

  async setUserRoles(id: string, roles: string[], audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null> {
    return this.#db.transaction(() => {
      if (!this.#db.stmt('SELECT 1 FROM users WHERE id = ?').get(id)) return null;
      this.#db.stmt('DELETE FROM user_roles WHERE user_id = ?').run(id);
      for (const role of new Set(roles)) this.#db.stmt('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').run(id, role);
      this.#db.stmt('UPDATE users SET updated_at = ? WHERE id = ?').run(audit?.at ?? new Date().toISOString(), id);
      this.#keepRole(keep);
      this.#db.audit(audit);
      return this.#userById(id);
    });
  }

  async countActiveUsersWithRole(role: string): Promise<number> {
    return this.#countActive(role);
  }

  #countActive(role: string): number {
    const row = this.#db.stmt('SELECT COUNT(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role_id = ? AND u.active = 1').get(role) as Row;
    return Number(row.n);
  }
}
