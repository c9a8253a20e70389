/** Users and their roles in PostgreSQL; changes take the user's row lock (sessions: `postgres-sessions.ts`). */
import { ConflictError } from '../errors.ts';
import type { AuditEntry, KeepRole, NewUser, UserPatch, UserRecord, UserWithPassword } from '../records.ts';
import { requireRoleKept } from '../preconditions.ts';
import { toUser, toUserWithPassword, type Row } from '../row-mapping.ts';
import { userColumns, userListSql } from '../query-pieces.ts';
import { isUniqueViolation, POSTGRES_DIALECT, type PostgresDatabase, type Queryable } from './postgres-database.ts';

const USER_COLUMNS = userColumns(POSTGRES_DIALECT);

export class PostgresUsers {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  /** The user row and its roles on `client`; a taken name (any capitalisation) is a `ConflictError`. */
  async insertUser(client: Queryable, user: NewUser): Promise<void> {
    try {
      await client.query(
        `INSERT INTO users (id, username, display_name, kind, password_hash, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, true, $6, $6)`,
        [user.id, user.username, user.display_name, user.kind, user.password_hash, user.created_at],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`The username "${user.username}" is taken.`, 'username');
      throw error;
    }
    for (const role of new Set(user.roles)) await client.query('INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)', [user.id, role]);
  }

  async createUser(user: NewUser, audit: AuditEntry | null): Promise<UserRecord> {
    return this.#db.transaction(async (client) => {
      await this.insertUser(client, user);
      await this.#db.audit(client, audit);
      return (await this.#userById(client, user.id))!;
    });
  }

  async #userById(client: Queryable, id: string): Promise<UserWithPassword | null> {
    const row = (await client.query({ name: 'user_by_id', text: `SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE u.id = $1`, values: [id] })).rows[0] as Row | undefined;
    return row ? toUserWithPassword(row) : null;
  }

  getUser(id: string): Promise<UserWithPassword | null> {
    return this.#userById(this.#db.pooled, id);
  }

  async getUserByUsername(username: string): Promise<UserWithPassword | null> {
    const row = (
      await this.#db.query({ name: 'user_by_name', text: `SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE lower(u.username) = lower($1)`, values: [username] })
    ).rows[0] as Row | undefined;
    return row ? toUserWithPassword(row) : null;
  }

  async listUsers(query: { text: string | null; after: string | null; limit: number }): Promise<UserRecord[]> {
    const { sql, params } = userListSql(POSTGRES_DIALECT, query);
    return ((await this.#db.query(sql, params)).rows as Row[]).map(toUser);
  }

  /**
   * Serialises every change that must keep `keep.keep_active_role` held (a transaction-scoped advisory
   * lock): under READ COMMITTED, two such changes would otherwise each count the other's user as active.
   */
  async #lockRole(client: Queryable, keep: KeepRole | undefined): Promise<void> {
    if (keep?.keep_active_role === undefined) return;
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`patkit:keep-role:${keep.keep_active_role}`]);
  }

  /** After the change, in its transaction (and under the lock above): throws when no active user holds the role. */
  async #keepRole(client: Queryable, keep: KeepRole | undefined): Promise<void> {
    if (keep?.keep_active_role === undefined) return;
    requireRoleKept(await this.#countActive(client, keep.keep_active_role), keep.keep_active_role);
  }

  async updateUser(id: string, patch: UserPatch, audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null> {
    return this.#db.transaction(async (client) => {
      await this.#lockRole(client, keep);
      if ((await client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return null;
      const now = audit?.at ?? new Date().toISOString();
      if (patch.display_name !== undefined) await client.query('UPDATE users SET display_name = $1, updated_at = $2 WHERE id = $3', [patch.display_name, now, id]);
      if (patch.password_hash !== undefined) {
        await client.query('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [patch.password_hash, now, id]);
        // A new password ends every session signed in with the old one (tokens are unaffected).
        await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      }
      if (patch.active !== undefined) {
        await client.query('UPDATE users SET active = $1, updated_at = $2 WHERE id = $3', [patch.active, now, id]);
        if (!patch.active) await client.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      }
      await this.#keepRole(client, keep);
      await this.#db.audit(client, audit);
      return this.#userById(client, id);
    });
  }

  async setUserRoles(id: string, roles: string[], audit: AuditEntry | null, keep?: KeepRole): Promise<UserRecord | null> {
    return this.#db.transaction(async (client) => {
      await this.#lockRole(client, keep);
      if ((await client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id])).rowCount === 0) return null;
      await client.query('DELETE FROM user_roles WHERE user_id = $1', [id]);
      for (const role of new Set(roles)) await client.query('INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)', [id, role]);
      await client.query('UPDATE users SET updated_at = $1 WHERE id = $2', [audit?.at ?? new Date().toISOString(), id]);
      await this.#keepRole(client, keep);
      await this.#db.audit(client, audit);
      return this.#userById(client, id);
    });
  }

  countActiveUsersWithRole(role: string): Promise<number> {
    return this.#countActive(this.#db.pooled, role);
  }

  async #countActive(client: Queryable, role: string): Promise<number> {
    const row = (await client.query('SELECT COUNT(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role_id = $1 AND u.active', [role])).rows[0] as Row;
    return Number(row.n);
  }
}
