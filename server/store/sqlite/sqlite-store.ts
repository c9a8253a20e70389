/**
 * The `Store` on `node:sqlite`: one file, WAL, synchronous=FULL (a commit is on disk before the
 * answer is sent, so a crash loses no committed token), versioned migrations, one transaction per
 * write. One process owns the file (`claimDataDir`), which is what lets this store keep the
 * verified-token cache, the settings and the throttle counters in memory. The work is done by one
 * section per entity on the shared `SqliteDatabase`; this class puts them behind `Store`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent, ServerSettings } from '../../../lib/model.ts';
import type { Store } from '../store.ts';
import type {
  AuditEntry,
  AuditListQuery,
  NewSession,
  NewToken,
  NewUser,
  SessionAuthRecord,
  TokenAuthRecord,
  TokenListQuery,
  TokenPatchRecord,
  TokenRecord,
  UserPatch,
  UserRecord,
  UserWithPassword,
} from '../records.ts';
import type { OrgStore } from '../org-store.ts';
import type { WebhookStore } from '../webhook-store.ts';
import { toAuditEvent, type Row } from '../row-mapping.ts';
import { auditListSql, tokenSortValue } from '../query-pieces.ts';
import { MemoryFailureCounters, type CounterKey } from '../../auth/throttle.ts';
import { claimDataDir } from './data-dir-lock.ts';
import { SQLITE_DIALECT, SqliteDatabase } from './sqlite-database.ts';
import { migrate } from './sqlite-migrations.ts';
import { SqliteSettings } from './sqlite-settings.ts';
import { SqliteUsers } from './sqlite-users.ts';
import { SqliteSessions } from './sqlite-sessions.ts';
import { SqliteTokens } from './sqlite-tokens.ts';
import { SqliteOrgSection } from './sqlite-org-store.ts';
import { SqliteWebhookSection } from './sqlite-webhook-store.ts';

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

/** Tables without a rowid (or with a composite key) are read in storage order. */
const UNORDERED_TABLES = ['user_roles', 'org_members', 'group_members', 'webhook_attempts', 'webhook_notices'];

export class SqliteStore implements Store {
  readonly path: string;
  readonly #db: SqliteDatabase;
  readonly #release: () => void;
  readonly #settings: SqliteSettings;
  readonly #users: SqliteUsers;
  readonly #sessions: SqliteSessions;
  readonly #tokens: SqliteTokens;
  /** Organisations, groups, memberships and technical users: same file, same transactions. */
  readonly orgs: OrgStore;
  /** Webhooks and their delivery queue: same file, same transactions. */
  readonly webhooks: WebhookStore;
  /** One process owns the file (see `claimDataDir`), so its memory is the one place for counters. */
  readonly failures = new MemoryFailureCounters();

  /**
   * `tokenCache: false` measures the plain indexed lookup (benchmarks). Throws `DataDirInUseError`
   * when another process serves this data dir (the caches above assume one process).
   */
  constructor(dataDir: string, options: { tokenCache?: boolean } = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, 'patkit.db');
    this.#release = claimDataDir(dataDir);
    let opened: SqliteDatabase | undefined;
    try {
      this.#db = opened = new SqliteDatabase(this.path);
      migrate(opened.raw, (work) => opened!.transaction(work));
      this.#settings = new SqliteSettings(opened);
    } catch (error) {
      if (opened?.isOpen) opened.raw.close();
      this.#release();
      throw error;
    }
    const db = this.#db;
    this.#users = new SqliteUsers(db);
    this.#sessions = new SqliteSessions(db);
    this.#tokens = new SqliteTokens(db, { cache: options.tokenCache ?? true, patsEnabled: () => this.#settings.current.enable_personal_access_tokens });
    const shared = { stmt: (sql: string) => db.stmt(sql), transaction: <T>(work: () => T) => db.transaction(work), audit: (entry: AuditEntry | null) => db.audit(entry) };
    this.orgs = new SqliteOrgSection({
      ...shared,
      insertUser: (user) => this.#users.insertUser(user),
      insertToken: (token) => this.#tokens.insertRow(token),
      getToken: (id) => this.#tokens.byId(id),
    });
    this.webhooks = new SqliteWebhookSection({
      ...shared,
      getToken: (id) => this.#tokens.byId(id),
      tokensWhere: (where, ...params) => this.#tokens.where(where, ...params),
    });
  }

  // ---- settings and flags -------------------------------------------------------------------

  /** Settings are kept in memory: this process is the only writer of this file. */
  getSettings(): Promise<ServerSettings> {
    return this.#settings.getSettings();
  }
  updateSettings(patch: Partial<ServerSettings>, audit: AuditEntry | null): Promise<ServerSettings> {
    return this.#settings.updateSettings(patch, audit);
  }
  getFlag(key: string): Promise<string | null> {
    return this.#settings.getFlag(key);
  }
  claimFlag(key: string, value: string): Promise<string> {
    return this.#settings.claimFlag(key, value);
  }
  setFlag(key: string, value: string): Promise<void> {
    return this.#settings.setFlag(key, value);
  }

  // ---- users and sessions -------------------------------------------------------------------

  createUser(user: NewUser, audit: AuditEntry | null): Promise<UserRecord> {
    return this.#users.createUser(user, audit);
  }
  getUser(id: string): Promise<UserWithPassword | null> {
    return this.#users.getUser(id);
  }
  getUserByUsername(username: string): Promise<UserWithPassword | null> {
    return this.#users.getUserByUsername(username);
  }
  listUsers(query: { text: string | null; after: string | null; limit: number }): Promise<UserRecord[]> {
    return this.#users.listUsers(query);
  }
  updateUser(id: string, patch: UserPatch, audit: AuditEntry | null): Promise<UserRecord | null> {
    return this.#users.updateUser(id, patch, audit);
  }
  setUserRoles(id: string, roles: string[], audit: AuditEntry | null): Promise<UserRecord | null> {
    return this.#users.setUserRoles(id, roles, audit);
  }
  countActiveUsersWithRole(role: string): Promise<number> {
    return this.#users.countActiveUsersWithRole(role);
  }
  createSession(session: NewSession, audit: AuditEntry | null): Promise<void> {
    return this.#sessions.createSession(session, audit);
  }
  findSessionByDigest(digest: Buffer): Promise<SessionAuthRecord | null> {
    return this.#sessions.findSessionByDigest(digest);
  }
  deleteSession(id: string, audit: AuditEntry | null): Promise<void> {
    return this.#sessions.deleteSession(id, audit);
  }

  // ---- tokens -------------------------------------------------------------------------------

  insertToken(token: NewToken, audit: AuditEntry | null): Promise<TokenRecord> {
    return this.#tokens.insertToken(token, audit);
  }
  /** Bulk load for benchmarks and imports: one transaction, one prepared statement. */
  importTokens(tokens: Iterable<NewToken>): number {
    return this.#tokens.importTokens(tokens);
  }
  async findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null> {
    return this.#tokens.find(digest);
  }
  async findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Promise<{ record: TokenAuthRecord | null; retryAfter: number }> {
    return { record: this.#tokens.find(digest), retryAfter: this.failures.retryAfterNow(throttle.keys, throttle.now) };
  }
  async getToken(id: string): Promise<TokenRecord | null> {
    return this.#tokens.byId(id);
  }
  listTokens(query: TokenListQuery): Promise<TokenRecord[]> {
    return this.#tokens.listTokens(query);
  }
  /** The value the list is sorted by, for building a cursor (the same on both stores). */
  static sortValue(token: TokenRecord, sort: TokenListQuery['sort']): string {
    return tokenSortValue(token, sort);
  }
  countTokens(): Promise<number> {
    return this.#tokens.countTokens();
  }
  updateToken(id: string, patch: TokenPatchRecord, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#tokens.updateToken(id, patch, audit);
  }
  replaceTokenSecret(id: string, digest: Buffer, last4: string, at: string, graceUntil: string | null, audit: AuditEntry | null): Promise<TokenRecord | null> {
    return this.#tokens.replaceTokenSecret(id, digest, last4, at, graceUntil, audit);
  }
  deleteTokens(ids: string[], audits: AuditEntry[]): Promise<string[] | null> {
    return this.#tokens.deleteTokens(ids, audits);
  }
  reportLeakedTokens(digests: Buffer[], at: string, ip: string | null): Promise<string[]> {
    return this.#tokens.reportLeakedTokens(digests, at, ip);
  }
  disableUnusedTokens(ids: string[], unusedBefore: string, now: string, audits: AuditEntry[]): Promise<TokenRecord[]> {
    return this.#tokens.disableUnusedTokens(ids, unusedBefore, now, audits);
  }
  touchToken(id: string, at: string, ip: string | null): Promise<void> {
    return this.#tokens.touchToken(id, at, ip);
  }

  // ---- audit --------------------------------------------------------------------------------

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#db.audit(entry);
  }

  async listAudit(query: AuditListQuery): Promise<AuditEvent[]> {
    const { sql, params } = auditListSql(SQLITE_DIALECT, query);
    return (this.#db.stmt(sql).all(...(params as (string | number)[])) as Row[]).map(toAuditEvent);
  }

  // ---- the file -----------------------------------------------------------------------------

  /** Every row of one table, in primary-key order, for the SQLite → PostgreSQL copy. */
  *exportRows(table: (typeof EXPORTED_TABLES)[number]): Generator<Record<string, unknown>> {
    if (!EXPORTED_TABLES.includes(table)) throw new Error(`not an exported table: ${table}`);
    const order = table === 'audit' ? 'seq' : 'rowid';
    const sql = UNORDERED_TABLES.includes(table) ? `SELECT * FROM ${table}` : `SELECT * FROM ${table} ORDER BY ${order}`;
    for (const row of this.#db.raw.prepare(sql).iterate()) yield row as Record<string, unknown>;
  }

  /** Rows in one table (for progress and the copy's check). */
  countRows(table: (typeof EXPORTED_TABLES)[number]): number {
    if (!EXPORTED_TABLES.includes(table)) throw new Error(`not an exported table: ${table}`);
    return Number((this.#db.raw.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as Row).n);
  }

  async ping(): Promise<boolean> {
    return this.#db.isOpen;
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  /** Synchronous close, for tools that hold the file briefly (bench seeding, migration). */
  closeNow(): void {
    if (!this.#db.isOpen) return;
    try {
      this.#db.close();
    } finally {
      this.#release();
    }
  }
}
