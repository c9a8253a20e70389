/**
 * The `Store` on `node:sqlite`: one file, WAL, synchronous=FULL (a commit is on disk before the
 * answer is sent, so a crash loses no committed token), versioned migrations, one transaction per
 * write. One process owns the file (`claimDataDir`), which is what lets this store keep the
 * verified-token cache, the settings and the throttle counters in memory. The work is done by one
 * section per entity on the shared `SqliteDatabase`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NewToken, TokenListQuery, TokenRecord } from '../records.ts';
import type { Row } from '../row-mapping.ts';
import { tokenSortValue } from '../query-pieces.ts';
import { SectionedStore } from '../sectioned-store.ts';
import { MemoryFailureCounters } from '../../auth/throttle.ts';
import { MemoryQuotaCounters } from '../../auth/quota.ts';
import { claimDataDir } from './data-dir-lock.ts';
import { SqliteDatabase, type SqliteDatabaseLimits } from './sqlite-database.ts';
import { migrate } from './sqlite-migrations.ts';
import { SqliteSettings } from './sqlite-settings.ts';
import { SqliteUsers } from './sqlite-users.ts';
import { SqliteSessions } from './sqlite-sessions.ts';
import { SqliteTokens } from './sqlite-tokens.ts';
import { SqliteAudit } from './sqlite-audit.ts';
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
  'token_policy_orgs',
  'audit',
  'webhooks',
  'webhook_deliveries',
  'webhook_attempts',
  'webhook_notices',
] as const;

/** Tables without a rowid (or with a composite key) are read in storage order. */
const UNORDERED_TABLES = ['user_roles', 'org_members', 'group_members', 'token_policy_orgs', 'webhook_attempts', 'webhook_notices'];

/** Opens and migrates the file and reads the settings; on failure closes it and gives the lock back. */
function open(path: string, release: () => void, limits: SqliteDatabaseLimits): { db: SqliteDatabase; settings: SqliteSettings } {
  let db: SqliteDatabase | undefined;
  try {
    db = new SqliteDatabase(path, limits);
    const opened = db;
    migrate(opened.raw, (work) => opened.transaction(work));
    return { db, settings: new SqliteSettings(db) };
  } catch (error) {
    if (db?.isOpen) db.raw.close();
    release();
    throw error;
  }
}

export class SqliteStore extends SectionedStore {
  readonly path: string;
  readonly #db: SqliteDatabase;
  readonly #release: () => void;
  readonly #tokens: SqliteTokens;

  /**
   * `tokenCache: false` measures the plain indexed lookup (benchmarks); `limits` bound the in-memory
   * caches (tests use small ones). Throws `DataDirInUseError` when another process serves this data
   * dir (its in-memory caches assume one process).
   */
  constructor(dataDir: string, options: { tokenCache?: boolean; limits?: SqliteDatabaseLimits } = {}) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, 'patkit.db');
    const release = claimDataDir(dataDir);
    const { db, settings } = open(path, release, options.limits ?? {});
    // One process owns the file (see `claimDataDir`), so its memory is the one place for counters.
    const failures = new MemoryFailureCounters();
    const users = new SqliteUsers(db);
    const patsEnabled = () => settings.current.enable_personal_access_tokens;
    const tokens = new SqliteTokens(db, { cache: options.tokenCache ?? true, patsEnabled, failures });
    super({
      settings,
      users,
      sessions: new SqliteSessions(db),
      tokens,
      audit: new SqliteAudit(db),
      // Organisations, groups, memberships, technical users, webhooks: same file, same transactions.
      orgs: new SqliteOrgSection(db, users, tokens),
      webhooks: new SqliteWebhookSection(db, tokens),
      failures,
      quotas: new MemoryQuotaCounters(),
    });
    this.path = path;
    this.#db = db;
    this.#release = release;
    this.#tokens = tokens;
  }

  /** How full the in-memory caches are (tests of their bounds). */
  cacheSizes(): { verifiedTokens: number; statements: number } {
    return { verifiedTokens: this.#db.verifiedTokens.size, statements: this.#db.statementCount };
  }

  /** Bulk load for benchmarks and imports: one transaction, one prepared statement. */
  importTokens(tokens: Iterable<NewToken>): number {
    return this.#tokens.importTokens(tokens);
  }

  /** The value the token list is sorted by, for building a cursor (the same on both stores). */
  static sortValue(token: TokenRecord, sort: TokenListQuery['sort']): string {
    return tokenSortValue(token, sort);
  }

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
