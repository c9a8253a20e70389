/**
 * One open SQLite file and the means every section of `SqliteStore` writes through: cached prepared
 * statements, `BEGIN IMMEDIATE` transactions, the audit INSERT, and the verified-token cache that
 * every write transaction clears.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { BoundedMap } from '../../bounded-map.ts';
import type { AuditEntry } from '../records.ts';
import { VERIFIED_TOKEN_LIMIT, VerifiedTokenCache } from '../verified-token-cache.ts';
import { auditValues } from '../row-mapping.ts';
import { auditInsertSql, type SqlDialect } from '../query-pieces.ts';

/** SQLite's words for the shared query pieces. */
export const SQLITE_DIALECT: SqlDialect = {
  param: (n) => `?${n}`,
  isTrue: (column) => `${column} = 1`,
  isFalse: (column) => `${column} = 0`,
  collate: '',
  like: (column, pattern) => `${column} LIKE ${pattern} ESCAPE '\\'`,
  joinWords: (expression) => `group_concat(${expression}, ' ')`,
};

const AUDIT_INSERT = auditInsertSql(SQLITE_DIALECT);

export { VERIFIED_TOKEN_LIMIT } from '../verified-token-cache.ts';
/** Prepared statements kept at most: the SQL texts are a fixed set, this only guards against a builder that is not. */
export const STATEMENT_LIMIT = 500;

export interface SqliteDatabaseLimits {
  verifiedTokens?: number;
  statements?: number;
}

export class SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #statements: BoundedMap<string, StatementSync>;
  /**
   * Verified-token lookups by digest. Every write transaction clears it before it returns, so a
   * revoke, disable, deactivation or role change is seen by the very next request. Valid because
   * this process is the only writer of the file (a multi-instance store must not cache). Bounded:
   * a token pushed out is read from the file again at its next use (docs/security.md rule 8).
   */
  readonly verifiedTokens: VerifiedTokenCache;

  /** Opens (creating) the file: WAL, synchronous=FULL (a commit is on disk before the answer). */
  constructor(path: string, limits: SqliteDatabaseLimits = {}) {
    this.verifiedTokens = new VerifiedTokenCache(limits.verifiedTokens ?? VERIFIED_TOKEN_LIMIT);
    this.#statements = new BoundedMap(limits.statements ?? STATEMENT_LIMIT);
    this.#db = new DatabaseSync(path);
    try {
      this.#db.exec('PRAGMA journal_mode = WAL');
      this.#db.exec('PRAGMA synchronous = FULL');
      this.#db.exec('PRAGMA foreign_keys = ON');
      this.#db.exec('PRAGMA busy_timeout = 5000');
      // Token lookups touch random index pages: a 64 MiB page cache and memory-mapped reads keep a
      // million-token index in memory instead of one read() per page.
      this.#db.exec('PRAGMA cache_size = -65536');
      this.#db.exec('PRAGMA mmap_size = 268435456');
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  get statementCount(): number {
    return this.#statements.size;
  }

  /** The connection itself, for migrations and whole-table reads that bypass the statement cache. */
  get raw(): DatabaseSync {
    return this.#db;
  }

  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  stmt(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** `work` in one write transaction (taken at BEGIN, so writers never deadlock on an upgrade). */
  transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    } finally {
      this.verifiedTokens.clear();
    }
  }

  audit(entry: AuditEntry | null): void {
    if (!entry) return;
    this.stmt(AUDIT_INSERT).run(...auditValues(entry));
  }

  /** Checkpoints the WAL into the file and closes it. */
  close(): void {
    if (!this.#db.isOpen) return;
    this.#statements.clear();
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    this.#db.close();
  }
}
