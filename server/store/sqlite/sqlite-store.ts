/**
 * The `Store` on `node:sqlite`: one file, WAL, synchronous=FULL (a commit is on disk before the
 * answer is sent, so a crash loses no committed token), versioned migrations, one transaction per
 * write. The verification path is one prepared statement: an indexed lookup by digest joined with
 * the owner and the owner's roles.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { AuditEvent, OwnerKind, ServerSettings } from '../../../lib/model.ts';
import {
  ConflictError,
  type AuditEntry,
  type AuditListQuery,
  type NewSession,
  type NewToken,
  type NewUser,
  type SessionAuthRecord,
  type Store,
  type TokenAuthRecord,
  type TokenListQuery,
  type TokenPatchRecord,
  type TokenRecord,
  type UserPatch,
  type UserRecord,
  type UserWithPassword,
  RECENT_USES_KEPT,
  readRecentUses,
} from '../store.ts';
import type { OrgStore } from '../org-store.ts';
import { ORG_MIGRATION, SqliteOrgSection } from './sqlite-org-store.ts';
import { MemoryFailureCounters, type CounterKey } from '../../auth/throttle.ts';
import { claimDataDir } from './data-dir-lock.ts';
import type { WebhookStore } from '../webhook-store.ts';
import { SqliteWebhookSection, WEBHOOK_MIGRATION } from './sqlite-webhook-store.ts';

export const DEFAULT_SETTINGS: ServerSettings = {
  enable_personal_access_tokens: false,
  require_password_confirmation: true,
  default_lifetime_days: 30,
  max_lifetime_days: 365,
  allow_no_expiry: false,
  max_grace_period_seconds: 604_800,
  allow_private_webhook_targets: false,
};

/** Append only: a migration is never edited once released; add a new one instead. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'technical')),
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id TEXT NOT NULL,
    PRIMARY KEY (user_id, role_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('bearer', 'cookie')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sessions_user ON sessions(user_id);
  -- owner_kind/owner_scope_*: a later issue adds organisations and groups whose tokens belong to
  -- technical users (owner_user_id then points at the technical user).
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    last4 TEXT NOT NULL,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'organization', 'group')),
    owner_user_id TEXT NOT NULL REFERENCES users(id),
    owner_scope_id TEXT,
    owner_scope_name TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by_id TEXT REFERENCES users(id),
    updated_at TEXT NOT NULL,
    expires_at TEXT,
    scopes TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    last_used_at TEXT,
    last_used_ip TEXT
  ) STRICT;
  CREATE INDEX tokens_owner_created ON tokens(owner_user_id, created_at);
  CREATE INDEX tokens_created ON tokens(created_at);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT,
    actor_username TEXT,
    token_id TEXT,
    owner_id TEXT,
    ip TEXT,
    detail TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_token ON audit(token_id, seq);
  CREATE INDEX audit_owner ON audit(owner_id, seq);
  CREATE INDEX audit_actor ON audit(actor_id, seq);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  `,
  ORG_MIGRATION,
  // Rotation with a grace period: the previous secret of a regenerated token, valid until
  // previous_valid_until; cleared by a later regenerate, disable, or ending the grace.
  `
  ALTER TABLE tokens ADD COLUMN previous_digest BLOB;
  ALTER TABLE tokens ADD COLUMN previous_last4 TEXT;
  ALTER TABLE tokens ADD COLUMN previous_valid_until TEXT;
  CREATE INDEX tokens_previous_digest ON tokens(previous_digest) WHERE previous_digest IS NOT NULL;
  `,
  // Recent uses: the last distinct client IPs of a token with their last time, as a JSON
  // array of { ip, at } (newest first, at most RECENT_USES_KEPT), merged by touchToken in SQL.
  `
  ALTER TABLE tokens ADD COLUMN recent_uses TEXT;
  `,
  // Webhooks: webhooks, their delivery queue and attempts, time-based notices, the outbox cursor.
  WEBHOOK_MIGRATION,
];

type Row = Record<string, unknown>;

/** The tables the SQLite → PostgreSQL copy moves, parents before children. */
export const EXPORTED_TABLES = [
  'settings',
  'users',
  'user_roles',
  'sessions',
  'organizations',
  'org_groups',
  'org_members',
  'group_members',
  'tokens',
  'audit',
  'webhooks',
  'webhook_deliveries',
  'webhook_attempts',
  'webhook_notices',
] as const;

const USER_COLUMNS = `u.id, u.username, u.display_name, u.kind, u.active, u.created_at,
  (SELECT group_concat(r.role_id, ' ') FROM user_roles r WHERE r.user_id = u.id) AS roles`;

const TOKEN_SELECT = `SELECT t.id, t.last4, t.owner_kind, t.owner_user_id, t.owner_scope_id, t.owner_scope_name,
  t.name, t.description, t.created_at, t.created_by_id, t.updated_at, t.expires_at, t.scopes, t.disabled,
  t.last_used_at, t.last_used_ip, t.previous_last4, t.previous_valid_until, t.recent_uses, o.username AS owner_username, o.display_name AS owner_display_name,
  c.username AS created_by_username
  FROM tokens t JOIN users o ON o.id = t.owner_user_id LEFT JOIN users c ON c.id = t.created_by_id`;

const SORT_EXPRESSIONS: Record<TokenListQuery['sort'], string> = {
  created_at: 't.created_at',
  name: 'lower(t.name)',
  expires_at: "COALESCE(t.expires_at, '9999')",
  last_used_at: "COALESCE(t.last_used_at, '')",
};

/** Active at `now` and unused (last use, or creation if never used) since `before` (SQL placeholders). */
const unusedCondition = (now: string, before: string) =>
  `t.disabled = 0 AND (t.expires_at IS NULL OR t.expires_at > ${now}) AND COALESCE(t.last_used_at, t.created_at) < ${before}`;

function splitWords(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(' ').sort() : [];
}

function toUser(row: Row): UserRecord {
  return {
    id: row.id as string,
    username: row.username as string,
    display_name: row.display_name as string,
    kind: row.kind as UserRecord['kind'],
    active: row.active === 1,
    roles: splitWords(row.roles),
    created_at: row.created_at as string,
  };
}

function toToken(row: Row): TokenRecord {
  return {
    id: row.id as string,
    owner: {
      kind: row.owner_kind as OwnerKind,
      user_id: row.owner_user_id as string,
      username: row.owner_username as string,
      display_name: row.owner_display_name as string,
      scope_id: (row.owner_scope_id as string | null) ?? null,
      scope_name: (row.owner_scope_name as string | null) ?? null,
    },
    name: row.name as string,
    description: row.description as string,
    created_at: row.created_at as string,
    created_by: row.created_by_id ? { id: row.created_by_id as string, username: (row.created_by_username as string) ?? '' } : null,
    updated_at: row.updated_at as string,
    expires_at: (row.expires_at as string | null) ?? null,
    scopes: (row.scopes as string) === '' ? [] : (row.scopes as string).split(' '),
    disabled: row.disabled === 1,
    last_used_at: (row.last_used_at as string | null) ?? null,
    last_used_ip: (row.last_used_ip as string | null) ?? null,
    last4: row.last4 as string,
    previous:
      row.previous_valid_until == null
        ? null
        : { last4: (row.previous_last4 as string | null) ?? '', valid_until: row.previous_valid_until as string },
    recent_uses: readRecentUses(row.recent_uses),
  };
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class SqliteStore implements Store {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #settings: ServerSettings;
  /**
   * Verified-token lookups by digest. Every write transaction of this store clears it before it
   * returns, so a revoke, disable, deactivation or role change is seen by the very next request.
   * Valid because this process is the only writer of the file (a multi-instance store must not cache).
   */
  readonly #tokenCache = new Map<string, TokenAuthRecord>();
  /** Organisations, groups, memberships and technical users: same file, same transactions. */
  readonly orgs: OrgStore = new SqliteOrgSection({
    stmt: (sql) => this.#stmt(sql),
    transaction: (work) => this.#transaction(work),
    audit: (entry) => this.#audit(entry),
    insertUser: (user) => {
      this.#stmt(
        `INSERT INTO users (id, username, display_name, kind, password_hash, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
      ).run(user.id, user.username, user.display_name, user.kind, user.password_hash, user.created_at, user.created_at);
      for (const role of new Set(user.roles)) this.#stmt('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').run(user.id, role);
    },
    insertToken: (token) => this.#insertTokenRow(token),
    getToken: (id) => this.#tokenById(id),
  });

  /** Webhooks and their delivery queue: same file, same transactions. */
  readonly webhooks: WebhookStore = new SqliteWebhookSection({
    stmt: (sql) => this.#stmt(sql),
    transaction: (work) => this.#transaction(work),
    audit: (entry) => this.#audit(entry),
    getToken: (id) => this.#tokenById(id),
    tokensWhere: (where, ...params) => (this.#stmt(`${TOKEN_SELECT} WHERE ${where}`).all(...params) as Row[]).map(toToken),
  });

  readonly #cacheTokens: boolean;
  /** One process owns the file (see `claimDataDir`), so its memory is the one place for counters. */
  readonly failures = new MemoryFailureCounters();

  /** `tokenCache: false` measures or serves the plain indexed lookup (benchmarks, several writers). */
  readonly #release: () => void;

  /**
   * `tokenCache: false` measures the plain indexed lookup (benchmarks). Throws `DataDirInUseError`
   * when another process serves this data dir (the caches above assume one process).
   */
  constructor(dataDir: string, options: { tokenCache?: boolean } = {}) {
    this.#cacheTokens = options.tokenCache ?? true;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, 'patkit.db');
    this.#release = claimDataDir(dataDir);
    let opened: DatabaseSync | undefined;
    try {
      this.#db = opened = new DatabaseSync(this.path);
      this.#db.exec('PRAGMA journal_mode = WAL');
      this.#db.exec('PRAGMA synchronous = FULL');
      this.#db.exec('PRAGMA foreign_keys = ON');
      this.#db.exec('PRAGMA busy_timeout = 5000');
      // Token lookups touch random index pages: a 64 MiB page cache and memory-mapped reads keep a
      // million-token index in memory instead of one read() per page.
      this.#db.exec('PRAGMA cache_size = -65536');
      this.#db.exec('PRAGMA mmap_size = 268435456');
      this.#migrate();
      this.#settings = this.#readSettings();
    } catch (error) {
      if (opened?.isOpen) opened.close();
      this.#release();
      throw error;
    }
  }

  #migrate(): void {
    this.#db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
    const row = this.#db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as Row;
    const current = Number(row.v);
    if (current > MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this server (${MIGRATIONS.length})`);
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      this.#transaction(() => {
        this.#db.exec(MIGRATIONS[version - 1]!);
        this.#db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
      });
    }
  }

  #stmt(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    } finally {
      this.#tokenCache.clear();
    }
  }

  #audit(entry: AuditEntry | null): void {
    if (!entry) return;
    this.#stmt(
      `INSERT INTO audit (at, action, actor_id, actor_username, token_id, owner_id, ip, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      entry.at,
      entry.action,
      entry.actor?.id ?? null,
      entry.actor?.username ?? null,
      entry.token_id,
      entry.owner_id,
      entry.ip,
      JSON.stringify(entry.detail),
    );
  }

  // ---- settings ---------------------------------------------------------------------------

  #readSettings(): ServerSettings {
    const rows = this.#stmt('SELECT key, value FROM settings').all() as Row[];
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const row of rows) {
      if ((row.key as string) in DEFAULT_SETTINGS) settings[row.key as string] = JSON.parse(row.value as string);
    }
    return settings as unknown as ServerSettings;
  }

  /** Settings are kept in memory: this process is the only writer of this file. */
  async getSettings(): Promise<ServerSettings> {
    return { ...this.#settings };
  }

  async updateSettings(patch: Partial<ServerSettings>, audit: AuditEntry | null): Promise<ServerSettings> {
    this.#transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined || !(key in DEFAULT_SETTINGS)) continue;
        this.#stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
          key,
          JSON.stringify(value),
        );
      }
      this.#audit(audit);
    });
    this.#settings = this.#readSettings();
    return this.getSettings();
  }

  async getFlag(key: string): Promise<string | null> {
    const row = this.#stmt('SELECT value FROM settings WHERE key = ?').get(`flag:${key}`) as Row | undefined;
    return row ? (JSON.parse(row.value as string) as string) : null;
  }

  async claimFlag(key: string, value: string): Promise<string> {
    this.#stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(`flag:${key}`, JSON.stringify(value));
    return (await this.getFlag(key))!;
  }

  async setFlag(key: string, value: string): Promise<void> {
    this.#tokenCache.clear();
    this.#stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      `flag:${key}`,
      JSON.stringify(value),
    );
  }

  // ---- users -------------------------------------------------------------------------------

  async createUser(user: NewUser, audit: AuditEntry | null): Promise<UserRecord> {
    return this.#transaction(() => {
      if (this.#stmt('SELECT 1 FROM users WHERE username = ?').get(user.username)) {
        throw new ConflictError(`The username "${user.username}" is taken.`, 'username');
      }
      this.#stmt(
        `INSERT INTO users (id, username, display_name, kind, password_hash, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
      ).run(user.id, user.username, user.display_name, user.kind, user.password_hash, user.created_at, user.created_at);
      for (const role of new Set(user.roles)) this.#stmt('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').run(user.id, role);
      this.#audit(audit);
      return this.#userById(user.id)!;
    });
  }

  async getUser(id: string): Promise<UserWithPassword | null> {
    return this.#userById(id);
  }

  #userById(id: string): UserWithPassword | null {
    const row = this.#stmt(`SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE u.id = ?`).get(id) as Row | undefined;
    return row ? { ...toUser(row), password_hash: (row.password_hash as string | null) ?? null } : null;
  }

  async getUserByUsername(username: string): Promise<UserWithPassword | null> {
    const row = this.#stmt(`SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE u.username = ?`).get(username) as
      | Row
      | undefined;
    return row ? { ...toUser(row), password_hash: (row.password_hash as string | null) ?? null } : null;
  }

  async listUsers(query: { text: string | null; after: string | null; limit: number }): Promise<UserRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.text) {
      where.push("(u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\' OR u.id = ?)");
      params.push(likePattern(query.text), likePattern(query.text), query.text);
    }
    if (query.after !== null) {
      where.push('lower(u.username) > ?');
      params.push(query.after);
    }
    const sql = `SELECT ${USER_COLUMNS} FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY lower(u.username) LIMIT ?`;
    return (this.#stmt(sql).all(...params, query.limit) as Row[]).map(toUser);
  }

  async updateUser(id: string, patch: UserPatch, audit: AuditEntry | null): Promise<UserRecord | null> {
    return this.#transaction(() => {
      if (!this.#stmt('SELECT 1 FROM users WHERE id = ?').get(id)) return null;
      const now = audit?.at ?? new Date().toISOString();
      if (patch.display_name !== undefined) this.#stmt('UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?').run(patch.display_name, now, id);
      if (patch.password_hash !== undefined) {
        this.#stmt('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(patch.password_hash, now, id);
        // A new password ends every session signed in with the old one (tokens are unaffected).
        this.#stmt('DELETE FROM sessions WHERE user_id = ?').run(id);
      }
      if (patch.active !== undefined) {
        this.#stmt('UPDATE users SET active = ?, updated_at = ? WHERE id = ?').run(patch.active ? 1 : 0, now, id);
        if (!patch.active) this.#stmt('DELETE FROM sessions WHERE user_id = ?').run(id);
      }
      this.#audit(audit);
      return this.#userById(id);
    });
  }

  async setUserRoles(id: string, roles: string[], audit: AuditEntry | null): Promise<UserRecord | null> {
    return this.#transaction(() => {
      if (!this.#stmt('SELECT 1 FROM users WHERE id = ?').get(id)) return null;
      this.#stmt('DELETE FROM user_roles WHERE user_id = ?').run(id);
      for (const role of new Set(roles)) this.#stmt('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').run(id, role);
      this.#stmt('UPDATE users SET updated_at = ? WHERE id = ?').run(audit?.at ?? new Date().toISOString(), id);
      this.#audit(audit);
      return this.#userById(id);
    });
  }

  async countActiveUsersWithRole(role: string): Promise<number> {
    const row = this.#stmt(
      'SELECT COUNT(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role_id = ? AND u.active = 1',
    ).get(role) as Row;
    return Number(row.n);
  }

  // ---- sessions ----------------------------------------------------------------------------

  async createSession(session: NewSession, audit: AuditEntry | null): Promise<void> {
    this.#transaction(() => {
      this.#stmt('DELETE FROM sessions WHERE expires_at <= ?').run(session.created_at);
      this.#stmt('INSERT INTO sessions (id, digest, user_id, mode, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        session.id,
        session.digest,
        session.user_id,
        session.mode,
        session.created_at,
        session.expires_at,
      );
      this.#audit(audit);
    });
  }

  async findSessionByDigest(digest: Buffer): Promise<SessionAuthRecord | null> {
    const row = this.#stmt(
      `SELECT s.id AS session_id, s.expires_at AS session_expires_at, s.mode, ${USER_COLUMNS}
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = ?`,
    ).get(digest) as Row | undefined;
    if (!row) return null;
    return {
      id: row.session_id as string,
      expires_at: row.session_expires_at as string,
      mode: row.mode as 'bearer' | 'cookie',
      user: toUser(row),
    };
  }

  async deleteSession(id: string, audit: AuditEntry | null): Promise<void> {
    this.#transaction(() => {
      this.#stmt('DELETE FROM sessions WHERE id = ?').run(id);
      this.#audit(audit);
    });
  }

  // ---- tokens ------------------------------------------------------------------------------

  async insertToken(token: NewToken, audit: AuditEntry | null): Promise<TokenRecord> {
    return this.#transaction(() => {
      this.#insertTokenRow(token);
      this.#audit(audit);
      return this.#tokenById(token.id)!;
    });
  }

  #insertTokenRow(token: NewToken): void {
    this.#stmt(
      `INSERT INTO tokens (id, digest, last4, owner_kind, owner_user_id, owner_scope_id, owner_scope_name, name,
         description, created_at, created_by_id, updated_at, expires_at, scopes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      token.id,
      token.digest,
      token.last4,
      token.owner_kind,
      token.owner_user_id,
      token.owner_scope_id,
      token.owner_scope_name,
      token.name,
      token.description,
      token.created_at,
      token.created_by_id,
      token.created_at,
      token.expires_at,
      token.scopes.join(' '),
    );
  }

  /** Every row of one table, in primary-key order, for the SQLite → PostgreSQL copy. */
  *exportRows(table: (typeof EXPORTED_TABLES)[number]): Generator<Record<string, unknown>> {
    if (!EXPORTED_TABLES.includes(table)) throw new Error(`not an exported table: ${table}`);
    const order = table === 'audit' ? 'seq' : 'rowid';
    const sql = ['user_roles', 'org_members', 'group_members', 'webhook_attempts', 'webhook_notices'].includes(table) ? `SELECT * FROM ${table}` : `SELECT * FROM ${table} ORDER BY ${order}`;
    for (const row of this.#db.prepare(sql).iterate()) yield row as Record<string, unknown>;
  }

  /** Rows in one table (for progress and the copy's check). */
  countRows(table: (typeof EXPORTED_TABLES)[number]): number {
    if (!EXPORTED_TABLES.includes(table)) throw new Error(`not an exported table: ${table}`);
    return Number((this.#db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as Row).n);
  }

  /** Bulk load for benchmarks and imports: one transaction, one prepared statement. */
  importTokens(tokens: Iterable<NewToken>): number {
    return this.#transaction(() => {
      let count = 0;
      for (const token of tokens) {
        this.#insertTokenRow(token);
        count++;
      }
      return count;
    });
  }

  async findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null> {
    return this.#findToken(digest);
  }

  async findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Promise<{ record: TokenAuthRecord | null; retryAfter: number }> {
    return { record: this.#findToken(digest), retryAfter: this.failures.retryAfterNow(throttle.keys, throttle.now) };
  }

  #findToken(digest: Buffer): TokenAuthRecord | null {
    if (!this.#cacheTokens) return this.#lookupToken(digest);
    const key = digest.toString('base64');
    const cached = this.#tokenCache.get(key);
    if (cached) return cached;
    const record = this.#lookupToken(digest);
    if (record) {
      if (this.#tokenCache.size >= 10_000) this.#tokenCache.clear();
      this.#tokenCache.set(key, record);
    }
    return record;
  }

  #lookupToken(digest: Buffer): TokenAuthRecord | null {
    const row = this.#stmt(
      `SELECT t.id AS token_id, t.created_at AS token_created_at, t.scopes, t.disabled, t.expires_at, t.last_used_at, t.recent_uses, t.owner_kind,
         t.digest = ?1 AS matched_current, t.previous_valid_until, ${USER_COLUMNS}
       FROM tokens t JOIN users u ON u.id = t.owner_user_id WHERE t.digest = ?1 OR t.previous_digest = ?1`,
    ).get(digest) as Row | undefined;
    if (!row) return null;
    return {
      id: row.token_id as string,
      created_at: row.token_created_at as string,
      scopes: (row.scopes as string) === '' ? [] : (row.scopes as string).split(' '),
      disabled: row.disabled === 1,
      expires_at: (row.expires_at as string | null) ?? null,
      last_used_at: (row.last_used_at as string | null) ?? null,
      recent_uses: readRecentUses(row.recent_uses),
      owner_kind: row.owner_kind as OwnerKind,
      matched: row.matched_current === 1 ? 'current' : 'previous',
      previous_valid_until: (row.previous_valid_until as string | null) ?? null,
      user: toUser(row),
      // Cached records are dropped by every write transaction, settings changes included.
      personal_access_tokens_enabled: this.#settings.enable_personal_access_tokens,
    };
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    return this.#tokenById(id);
  }

  #tokenById(id: string): TokenRecord | null {
    const row = this.#stmt(`${TOKEN_SELECT} WHERE t.id = ?`).get(id) as Row | undefined;
    return row ? toToken(row) : null;
  }

  async listTokens(query: TokenListQuery): Promise<TokenRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.owner_user_id !== null) {
      where.push('t.owner_user_id = ?');
      params.push(query.owner_user_id);
    }
    if (query.text) {
      where.push(
        "(t.id = ? OR t.name LIKE ? ESCAPE '\\' OR t.description LIKE ? ESCAPE '\\' OR o.username LIKE ? ESCAPE '\\')",
      );
      const like = likePattern(query.text);
      params.push(query.text, like, like, like);
    }
    if (query.status === 'expired') {
      where.push('t.expires_at IS NOT NULL AND t.expires_at <= ?');
      params.push(query.now);
    } else if (query.status === 'disabled') {
      where.push('t.disabled = 1 AND (t.expires_at IS NULL OR t.expires_at > ?)');
      params.push(query.now);
    } else if (query.status === 'active') {
      where.push('t.disabled = 0 AND (t.expires_at IS NULL OR t.expires_at > ?)');
      params.push(query.now);
    }
    if (query.unused_before) {
      where.push(unusedCondition('?', '?'));
      params.push(query.now, query.unused_before);
    }
    const sortExpr = SORT_EXPRESSIONS[query.sort];
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    if (query.after) {
      where.push(`(${sortExpr}, t.id) ${query.order === 'asc' ? '>' : '<'} (?, ?)`);
      params.push(query.after[0], query.after[1]);
    }
    const sql = `${TOKEN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${sortExpr} ${direction}, t.id ${direction} LIMIT ?`;
    return (this.#stmt(sql).all(...params, query.limit) as Row[]).map(toToken);
  }

  /** The value the list is sorted by, for building a cursor. */
  static sortValue(token: TokenRecord, sort: TokenListQuery['sort']): string {
    if (sort === 'name') return token.name.toLowerCase();
    if (sort === 'expires_at') return token.expires_at ?? '9999';
    if (sort === 'last_used_at') return token.last_used_at ?? '';
    return token.created_at;
  }

  async countTokens(): Promise<number> {
    return Number((this.#stmt('SELECT COUNT(*) AS n FROM tokens').get() as Row).n);
  }

  async updateToken(id: string, patch: TokenPatchRecord, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#transaction(() => {
      if (!this.#stmt('SELECT 1 FROM tokens WHERE id = ?').get(id)) return null;
      const now = audit?.at ?? new Date().toISOString();
      const set = (column: string, value: string | number | null) =>
        this.#stmt(`UPDATE tokens SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, now, id);
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.description !== undefined) set('description', patch.description);
      if (patch.expires_at !== undefined) set('expires_at', patch.expires_at);
      if (patch.scopes !== undefined) set('scopes', patch.scopes.join(' '));
      if (patch.disabled !== undefined) set('disabled', patch.disabled ? 1 : 0);
      if (patch.disabled === true || patch.end_grace) {
        this.#stmt('UPDATE tokens SET previous_digest = NULL, previous_last4 = NULL, previous_valid_until = NULL, updated_at = ? WHERE id = ?').run(now, id);
      }
      this.#audit(audit);
      return this.#tokenById(id);
    });
  }

  async replaceTokenSecret(id: string, digest: Buffer, last4: string, at: string, graceUntil: string | null, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#transaction(() => {
      // The right-hand sides read the row as it was: the outgoing secret becomes the previous one.
      const result = this.#stmt(
        `UPDATE tokens SET previous_digest = CASE WHEN ?1 IS NULL THEN NULL ELSE digest END,
           previous_last4 = CASE WHEN ?1 IS NULL THEN NULL ELSE last4 END, previous_valid_until = ?1,
           digest = ?2, last4 = ?3, updated_at = ?4 WHERE id = ?5`,
      ).run(graceUntil, digest, last4, at, id);
      if (Number(result.changes) !== 1) return null;
      this.#audit(audit);
      return this.#tokenById(id);
    });
  }

  async deleteTokens(ids: string[], audits: AuditEntry[]): Promise<string[] | null> {
    try {
      return this.#transaction(() => {
        const technical: { token: string; user: string }[] = [];
        for (const id of ids) {
          const owner = this.#stmt('SELECT owner_kind, owner_user_id FROM tokens WHERE id = ?').get(id) as Row | undefined;
          // Throwing rolls the whole batch back: all or nothing.
          if (Number(this.#stmt('DELETE FROM tokens WHERE id = ?').run(id).changes) !== 1) throw new MissingRow();
          if (owner && owner.owner_kind !== 'user') technical.push({ token: id, user: owner.owner_user_id as string });
        }
        // An organisation or group token's technical user exists for that token only: it goes too.
        for (const { user } of technical) this.#stmt("DELETE FROM users WHERE id = ? AND kind = 'technical'").run(user);
        for (const audit of audits) this.#audit(audit);
        const template = audits[0];
        if (template) {
          for (const { token, user } of technical) {
            this.#audit({ ...template, action: 'user.deleted', token_id: token, owner_id: user, detail: { technical: true, reason: 'token_deleted' } });
          }
        }
        return ids;
      });
    } catch (error) {
      if (error instanceof MissingRow) return null;
      throw error;
    }
  }

  async reportLeakedTokens(digests: Buffer[], at: string, ip: string | null): Promise<string[]> {
    return this.#transaction(() => {
      const ids: string[] = [];
      for (const digest of digests) {
        const row = this.#stmt(
          'SELECT id, owner_user_id, disabled FROM tokens WHERE digest = ?1 OR (previous_digest = ?1 AND previous_valid_until > ?2)',
        ).get(digest, at) as Row | undefined;
        if (!row || ids.includes(row.id as string)) continue;
        const id = row.id as string;
        ids.push(id);
        this.#stmt(
          'UPDATE tokens SET disabled = 1, previous_digest = NULL, previous_last4 = NULL, previous_valid_until = NULL, updated_at = ? WHERE id = ?',
        ).run(at, id);
        this.#audit({
          action: 'token.reported_leaked',
          actor: null,
          token_id: id,
          owner_id: row.owner_user_id as string,
          ip,
          at,
          detail: { already_disabled: row.disabled === 1 },
        });
      }
      return ids;
    });
  }

  async disableUnusedTokens(ids: string[], unusedBefore: string, now: string, audits: AuditEntry[]): Promise<TokenRecord[]> {
    return this.#transaction(() => {
      const disabled: TokenRecord[] = [];
      for (const id of new Set(ids)) {
        const changed = this.#stmt(
          `UPDATE tokens AS t SET disabled = 1, previous_digest = NULL, previous_last4 = NULL, previous_valid_until = NULL, updated_at = ?1
           WHERE t.id = ?3 AND ${unusedCondition('?1', '?2')}`,
        ).run(now, unusedBefore, id);
        if (Number(changed.changes) !== 1) continue;
        const audit = audits.find((a) => a.token_id === id);
        if (audit) this.#audit(audit);
        disabled.push(this.#tokenById(id)!);
      }
      return disabled;
    });
  }

  async touchToken(id: string, at: string, ip: string | null): Promise<void> {
    // Right-hand sides read the row as it was; the merge keeps each IP's latest time, newest first.
    this.#stmt(
      `UPDATE tokens SET
         last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ?2 THEN ?2 ELSE last_used_at END,
         last_used_ip = CASE WHEN ?3 IS NOT NULL AND (last_used_at IS NULL OR last_used_at < ?2) THEN ?3 ELSE last_used_ip END,
         recent_uses = CASE WHEN ?3 IS NULL THEN recent_uses ELSE (
           SELECT json_group_array(json_object('ip', ip, 'at', at) ORDER BY at DESC, ip) FROM (
             SELECT ip, MAX(at) AS at FROM (
               SELECT json_extract(value, '$.ip') AS ip, json_extract(value, '$.at') AS at FROM json_each(COALESCE(tokens.recent_uses, '[]'))
               UNION ALL SELECT ?3, ?2
             ) GROUP BY ip ORDER BY MAX(at) DESC, ip LIMIT ?4
           )
         ) END
       WHERE id = ?1`,
    ).run(id, at, ip, RECENT_USES_KEPT);
  }

  async ping(): Promise<boolean> {
    return this.#db.isOpen;
  }

  // ---- audit -------------------------------------------------------------------------------

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#audit(entry);
  }

  async listAudit(query: AuditListQuery): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.token_id) {
      where.push('token_id = ?');
      params.push(query.token_id);
    }
    if (query.user_id) {
      where.push('(owner_id = ? OR actor_id = ?)');
      params.push(query.user_id, query.user_id);
    }
    if (query.action) {
      where.push('action = ?');
      params.push(query.action);
    }
    if (query.before !== null) {
      where.push('seq < ?');
      params.push(query.before);
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.#stmt(sql).all(...params, query.limit) as Row[]).map((row) => ({
      id: String(row.seq),
      at: row.at as string,
      action: row.action as string,
      actor: row.actor_id ? { id: row.actor_id as string, username: (row.actor_username as string) ?? '' } : null,
      token_id: (row.token_id as string | null) ?? null,
      owner_id: (row.owner_id as string | null) ?? null,
      ip: (row.ip as string | null) ?? null,
      detail: JSON.parse(row.detail as string) as AuditEvent['detail'],
    }));
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  /** Synchronous close, for tools that hold the file briefly (bench seeding, migration). */
  closeNow(): void {
    if (!this.#db.isOpen) return;
    this.#statements.clear();
    try {
      this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      this.#db.close();
    } finally {
      this.#release();
    }
  }
}

class MissingRow extends Error {}
