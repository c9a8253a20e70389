/**
 * The `Store` on PostgreSQL (`PATKIT_DATABASE_URL=postgres://…`), for several stateless instances on
 * one database. Client: `pg` (node-postgres), see README "Running several instances" for why.
 *
 * - Pooled connections; every write and its audit rows in one transaction; regenerate takes the
 *   token's row lock (`SELECT … FOR UPDATE`).
 * - Versioned migrations, applied exactly once under an advisory lock even when instances start
 *   together.
 * - Nothing that affects verification is cached in this process: every request reads the token, its
 *   owner, roles, memberships and the settings from the database, so a change made through any
 *   instance is enforced by every instance at its next request.
 * - Failure counters for throttling live in `throttle_failures`; only failures write.
 * - Times are ISO 8601 UTC text, as in the SQLite store: keyset cursors compare the same way and the
 *   SQLite → PostgreSQL copy moves values unchanged.
 * - Connection failures surface as `StoreUnavailableError` (a quick 503), never a hang.
 *
 * The work is done by one section per entity on the shared `PostgresDatabase`; this class puts them
 * behind `Store`.
 */
import type pg from 'pg';
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
import { auditListSql } from '../query-pieces.ts';
import type { CounterKey, FailureCounters } from '../../auth/throttle.ts';
import { PostgresDatabase, POSTGRES_DIALECT, type PostgresStoreOptions, type Queryable } from './postgres-database.ts';
import { migrate } from './postgres-migrations.ts';
import { PostgresSettings } from './postgres-settings.ts';
import { PostgresUsers } from './postgres-users.ts';
import { PostgresSessions } from './postgres-sessions.ts';
import { PostgresTokens } from './postgres-tokens.ts';
import { PostgresFailureCounters } from './postgres-failure-counters.ts';
import { PostgresOrgSection } from './postgres-org-store.ts';
import { PostgresWebhookSection } from './postgres-webhook-store.ts';

export type { PostgresStoreOptions } from './postgres-database.ts';

export class PostgresStore implements Store {
  readonly #db: PostgresDatabase;
  readonly #settings: PostgresSettings;
  readonly #users: PostgresUsers;
  readonly #sessions: PostgresSessions;
  readonly #tokens: PostgresTokens;
  readonly orgs: OrgStore;
  readonly webhooks: WebhookStore;
  readonly failures: FailureCounters;

  private constructor(url: string, options: PostgresStoreOptions) {
    const db = (this.#db = new PostgresDatabase(url, options));
    this.#settings = new PostgresSettings(db);
    this.#users = new PostgresUsers(db);
    this.#sessions = new PostgresSessions(db);
    this.#tokens = new PostgresTokens(db);
    this.failures = new PostgresFailureCounters((sql, values) => db.query(sql, values));
    const shared = {
      query: (sql: string | pg.QueryConfig, values?: unknown[]) => db.query(sql, values),
      transaction: <T>(work: (client: pg.PoolClient) => Promise<T>) => db.transaction(work),
      audit: (client: Queryable, entry: AuditEntry | null) => db.audit(client, entry),
      tokenById: (client: Queryable, id: string) => this.#tokens.byId(client, id),
    };
    this.orgs = new PostgresOrgSection({
      ...shared,
      insertUser: (client, user) => this.#users.insertUser(client, user),
      insertToken: (client, token) => this.#tokens.insertRow(client, token),
    });
    this.webhooks = new PostgresWebhookSection({ ...shared, tokensWhere: (where, values) => this.#tokens.where(where, values) });
  }

  /** Connects, applies pending migrations once (advisory lock) and returns the store. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    try {
      await migrate(store.#db.pool);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  ping(): Promise<boolean> {
    return this.#db.ping();
  }

  // ---- settings and flags -------------------------------------------------------------------

  /** Read on every call: another instance may have changed them a moment ago. */
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
  /** Bulk load (benchmarks): one multi-row INSERT per 5,000 tokens, one transaction. */
  importTokens(tokens: NewToken[]): Promise<number> {
    return this.#tokens.importTokens(tokens);
  }
  findTokenByDigest(digest: Buffer): Promise<TokenAuthRecord | null> {
    return this.#tokens.findTokenByDigest(digest);
  }
  findTokenForVerification(digest: Buffer, throttle: { keys: CounterKey[]; now: number }): Promise<{ record: TokenAuthRecord | null; retryAfter: number }> {
    return this.#tokens.findTokenForVerification(digest, throttle);
  }
  getToken(id: string): Promise<TokenRecord | null> {
    return this.#tokens.byId(this.#db.pooled, id);
  }
  listTokens(query: TokenListQuery): Promise<TokenRecord[]> {
    return this.#tokens.listTokens(query);
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

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.#db.audit(this.#db.pooled, entry);
  }

  async listAudit(query: AuditListQuery): Promise<AuditEvent[]> {
    const { sql, params } = auditListSql(POSTGRES_DIALECT, query);
    return ((await this.#db.query(sql, params)).rows as Row[]).map(toAuditEvent);
  }

  // ---- the database -------------------------------------------------------------------------

  /** A raw query for tools and tests that look at the database itself (migration, bench). */
  query(sql: string, values?: unknown[]): Promise<pg.QueryResult> {
    return this.#db.query(sql, values);
  }

  /** A raw transaction, for the SQLite → PostgreSQL copy. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#db.transaction(work);
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
