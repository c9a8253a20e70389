/**
 * The connection pool of `PostgresStore` and the means every section writes through: one statement on
 * any pooled connection, a transaction on one connection, the audit INSERT. Connection failures
 * surface as `StoreUnavailableError` (a quick 503), never a hang.
 */
import pg from 'pg';
import { StoreUnavailableError } from '../errors.ts';
import type { AuditEntry } from '../records.ts';
import { auditValues } from '../row-mapping.ts';
import { auditInsertSql, type SqlDialect } from '../query-pieces.ts';
import type { EpochCheckSeam } from './epoch-checks.ts';

const { Pool } = pg;

/** Anything that runs a query: the pool, or the client of one transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** PostgreSQL's words for the shared query pieces. */
export const POSTGRES_DIALECT: SqlDialect = {
  param: (n) => `$${n}`,
  isTrue: (column) => column,
  isFalse: (column) => `NOT ${column}`,
  collate: ' COLLATE "C"',
  like: (column, pattern) => `${column} ILIKE ${pattern}`,
  joinWords: (expression) => `string_agg(${expression}, ' ')`,
};

const AUDIT_INSERT = auditInsertSql(POSTGRES_DIALECT);

export interface PostgresStoreOptions {
  /** Pool size per instance (`PATKIT_DATABASE_POOL`, default 10). */
  poolSize?: number;
  /** How long a request waits for a connection before it gets a 503 (ms). */
  connectTimeoutMs?: number;
  /** Longest a statement may run before it is cancelled (ms). */
  statementTimeoutMs?: number;
  /** Tests only: watches and holds the coalesced epoch checks (production passes none). */
  epochCheckSeam?: EpochCheckSeam;
}

/** SQLSTATE classes and socket errors that mean "the database is not reachable now". */
function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  }
  return /timeout exceeded when trying to connect|Cannot use a pool after calling end|Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout/i.test(
    error.message,
  );
}

function translate(error: unknown): unknown {
  return isUnavailable(error) ? new StoreUnavailableError(error) : error;
}

/** A UNIQUE index refused the row (a taken name). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === '23505';
}

export class PostgresDatabase {
  readonly pool: pg.Pool;
  #closed = false;

  constructor(url: string, options: PostgresStoreOptions) {
    this.pool = new Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000,
      query_timeout: (options.statementTimeoutMs ?? 5_000) + 1_000,
      statement_timeout: options.statementTimeoutMs ?? 5_000,
      idle_in_transaction_session_timeout: 10_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'patkit',
    });
    // A connection that dies while idle (database restarted) is dropped from the pool; the next
    // request opens a new one. Without a listener this event would end the process.
    this.pool.on('error', () => undefined);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One statement on any pooled connection; `name` makes it a prepared statement per connection. */
  async query(sql: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    try {
      return typeof sql === 'string' ? await this.pool.query(sql, values) : await this.pool.query(sql);
    } catch (error) {
      throw translate(error);
    }
  }

  /** The pool as a `Queryable` whose errors are translated. */
  readonly pooled: Queryable = { query: ((sql: string | pg.QueryConfig, values?: unknown[]) => this.query(sql, values)) as Queryable['query'] };

  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translate(error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw translate(error);
    } finally {
      // A connection whose rollback failed is destroyed instead of going back to the pool.
      client.release(broken);
    }
  }

  async audit(client: Queryable, entry: AuditEntry | null): Promise<void> {
    if (!entry) return;
    await client.query({ name: 'audit_insert', text: AUDIT_INSERT, values: auditValues(entry) });
  }

  async ping(): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await this.query({ name: 'ping', text: 'SELECT 1' });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }
}
