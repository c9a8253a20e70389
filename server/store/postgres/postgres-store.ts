/**
 * The `Store` on PostgreSQL (`PATKIT_DATABASE_URL=postgres://…`), for several stateless instances on
 * one database. Client: `pg` (node-postgres), see README "Running several instances" for why.
 *
 * - Pooled connections; every write and its audit rows in one transaction; regenerate takes the
 *   token's row lock (`SELECT … FOR UPDATE`).
 * - Versioned migrations, applied exactly once under an advisory lock even when instances start
 *   together.
 * - Verified tokens are cached per instance behind the verification epoch, which every request
 *   reads (concurrent requests share statements sent after each arrived: `EpochChecks`), so a
 *   change made through any instance is enforced by every instance at its next request.
 * - Failure counters for throttling live in `throttle_failures`: token checks write only failures;
 *   a sign-in or password re-check takes its slot there (one statement) before hashing.
 * - Times are ISO 8601 UTC text, as in the SQLite store: keyset cursors compare the same way and the
 *   SQLite → PostgreSQL copy moves values unchanged.
 * - Connection failures surface as `StoreUnavailableError` (a quick 503), never a hang.
 *
 * The work is done by one section per entity on the shared `PostgresDatabase`.
 */
import type pg from 'pg';
import type { NewToken } from '../records.ts';
import { SectionedStore } from '../sectioned-store.ts';
import { PostgresDatabase, type PostgresStoreOptions } from './postgres-database.ts';
import { migrate } from './postgres-migrations.ts';
import { PostgresSettings } from './postgres-settings.ts';
import { PostgresUsers } from './postgres-users.ts';
import { PostgresSessions } from './postgres-sessions.ts';
import { PostgresTokens } from './postgres-tokens.ts';
import { PostgresAudit } from './postgres-audit.ts';
import { PostgresFailureCounters } from './postgres-failure-counters.ts';
import { PostgresQuotaCounters } from './postgres-quota-counters.ts';
import { PostgresOrgSection } from './postgres-org-store.ts';
import { PostgresWebhookSection } from './postgres-webhook-store.ts';
import { postgresResources } from './postgres-resources.ts';

export type { PostgresStoreOptions } from './postgres-database.ts';

export class PostgresStore extends SectionedStore {
  readonly #db: PostgresDatabase;
  readonly #tokens: PostgresTokens;

  private constructor(url: string, options: PostgresStoreOptions) {
    const db = new PostgresDatabase(url, options);
    const users = new PostgresUsers(db);
    const tokens = new PostgresTokens(db, options.epochCheckSeam);
    super({
      settings: new PostgresSettings(db),
      users,
      sessions: new PostgresSessions(db),
      tokens,
      audit: new PostgresAudit(db),
      orgs: new PostgresOrgSection(db, users, tokens),
      webhooks: new PostgresWebhookSection(db, tokens),
      resources: postgresResources(db),
      failures: new PostgresFailureCounters((sql, values) => db.query(sql, values)),
      quotas: new PostgresQuotaCounters((sql, values) => db.query(sql, values)),
    });
    this.#db = db;
    this.#tokens = tokens;
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

  /** Bulk load (benchmarks): one multi-row INSERT per 5,000 tokens, one transaction. */
  importTokens(tokens: NewToken[]): Promise<number> {
    return this.#tokens.importTokens(tokens);
  }

  /** A raw query for tools and tests that look at the database itself (migration, bench). */
  query(sql: string, values?: unknown[]): Promise<pg.QueryResult> {
    return this.#db.query(sql, values);
  }

  /** A raw transaction, for the SQLite → PostgreSQL copy. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.#db.transaction(work);
  }

  ping(): Promise<boolean> {
    return this.#db.ping();
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
