/**
 * The token metadata cache: what makes the popup paint at once. IndexedDB through `idb`, one
 * database (`patkit`) shared by every server the user added. Metadata only: every write goes through
 * the secret guard, and the types refuse a secret-bearing record up front.
 *
 * A "server" is any stable string key; use the provider's normalised base URL
 * (`provider.baseUrl`) so two spellings of one address share one snapshot.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { TokenMeta } from '../model.ts';
import {
  CACHE_DB_NAME,
  CACHE_DB_VERSION,
  toRecord,
  upgradeCache,
  type CachedTokenRecord,
  type PatkitCacheSchema,
  type ServerSyncState,
} from './schema.ts';
import { assertNoSecret, type CacheableToken } from './secret-guard.ts';

export type { CachedTokenRecord, ServerSyncState } from './schema.ts';

export interface ExpiringToken {
  server: string;
  token: TokenMeta;
}

export interface ExpiringQuery {
  /** Reference time in ms (default `Date.now()`). */
  now?: number;
  /** Also return tokens whose expiry has already passed (default false). */
  includeExpired?: boolean;
  /** Leave out disabled tokens (default true: a disabled token expiring matters to no one). */
  skipDisabled?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** All primary keys of one server: [server, ''] … [server, <any array>] (arrays sort after strings). */
function serverRange(server: string): IDBKeyRange {
  return IDBKeyRange.bound([server, ''], [server, []]);
}

/** Aborts a failed transaction; its pending requests then reject, which the caller already reports. */
function abortQuietly(tx: { abort(): void }, pending: Array<Promise<unknown>>): void {
  for (const request of pending) request.catch(() => {});
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}

function emptyState(server: string): ServerSyncState {
  return { server, user: null, last_sync_at: null, last_attempt_at: null, last_error: null, offline_since: null };
}

function checkedRecord(server: string, token: CacheableToken): CachedTokenRecord {
  if (typeof server !== 'string' || server === '') throw new TypeError('A cache server key must be a non-empty string.');
  assertNoSecret(token);
  if (typeof token?.id !== 'string' || token.id === '') throw new TypeError('A cached token needs a non-empty id.');
  return toRecord(server, token);
}

type CacheDb = IDBPDatabase<PatkitCacheSchema>;

export class TokenCache {
  private readonly name: string;
  private current: CacheDb | null = null;
  private opening: Promise<CacheDb> | null = null;
  private closed = false;

  private constructor(name: string) {
    this.name = name;
  }

  /** Opens (creating or upgrading) the cache database. `name` is for tests and benchmarks. */
  static async open(options: { name?: string } = {}): Promise<TokenCache> {
    const cache = new TokenCache(options.name ?? CACHE_DB_NAME);
    await cache.handle();
    return cache;
  }

  /**
   * The open connection. When another context (a newer extension version, another tab) upgrades
   * the schema, this connection steps aside instead of blocking it, and the next call reopens.
   */
  private handle(): Promise<CacheDb> {
    if (this.current) return Promise.resolve(this.current);
    if (this.closed) return Promise.reject(new Error('This TokenCache was closed.'));
    this.opening ??= openDB<PatkitCacheSchema>(this.name, CACHE_DB_VERSION, {
      upgrade: (database, oldVersion, _newVersion, tx) => upgradeCache(database, oldVersion, tx),
      blocking: () => this.drop(),
      terminated: () => this.drop(),
    }).then(
      (db) => {
        this.current = db;
        this.opening = null;
        return db;
      },
      (error: unknown) => {
        this.opening = null;
        throw error;
      },
    );
    return this.opening;
  }

  private drop(): void {
    this.current?.close();
    this.current = null;
  }

  /** The raw connection (for tests and diagnostics); throws while none is open. */
  get db(): CacheDb {
    if (!this.current) throw new Error('The cache database is not open.');
    return this.current;
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  /** A server's cached tokens, ordered by token id. */
  async list(server: string): Promise<TokenMeta[]> {
    // The request's own result, without idb's shortcut waiting for the read-only transaction's
    // `complete` event as well: that wait alone cost about 10% of a 10,000-token read.
    const records = await (await this.handle()).transaction('tokens', 'readonly').store.getAll(serverRange(server));
    const tokens = new Array<TokenMeta>(records.length);
    for (let i = 0; i < records.length; i++) tokens[i] = (records[i] as CachedTokenRecord).token;
    return tokens;
  }

  async get(server: string, id: string): Promise<TokenMeta | undefined> {
    return (await (await this.handle()).get('tokens', [server, id]))?.token;
  }

  async count(server: string): Promise<number> {
    return (await this.handle()).countFromIndex('tokens', 'by-server', server);
  }

  /**
   * Replaces a server's whole snapshot in one transaction: readers see the old list or the new one,
   * never a mix, and a failure (a secret in any record, a quota error) leaves the old one in place.
   * `state` (sync bookkeeping) is written in the same transaction.
   */
  async replaceSnapshot(server: string, tokens: readonly CacheableToken[], state?: Partial<Omit<ServerSyncState, 'server'>>): Promise<void> {
    // Check everything before the transaction opens: one bad record writes nothing.
    const records = tokens.map((token) => checkedRecord(server, token));
    if (state) assertNoSecret(state);
    const tx = (await this.handle()).transaction(['tokens', 'servers'], 'readwrite');
    // If anything below fails, the abort rejects `done`; that is reported through the catch below.
    tx.done.catch(() => {});
    const writes: Array<Promise<unknown>> = [];
    try {
      const store = tx.objectStore('tokens');
      const servers = tx.objectStore('servers');
      // A put can also throw synchronously (DataCloneError): the abort below then undoes the delete.
      writes.push(store.delete(serverRange(server)));
      for (const record of records) writes.push(store.put(record));
      if (state) {
        writes.push(
          servers.get(server).then((previous) => servers.put({ ...(previous ?? emptyState(server)), ...state, server })),
        );
      }
      await Promise.all([...writes, tx.done]);
    } catch (error) {
      abortQuietly(tx, writes);
      throw error;
    }
  }

  async upsert(server: string, token: CacheableToken): Promise<void> {
    await (await this.handle()).put('tokens', checkedRecord(server, token));
  }

  async upsertMany(server: string, tokens: readonly CacheableToken[]): Promise<void> {
    const records = tokens.map((token) => checkedRecord(server, token));
    const tx = (await this.handle()).transaction('tokens', 'readwrite');
    tx.done.catch(() => {});
    const writes: Array<Promise<unknown>> = [];
    try {
      for (const record of records) writes.push(tx.store.put(record));
      await Promise.all([...writes, tx.done]);
    } catch (error) {
      abortQuietly(tx, writes);
      throw error;
    }
  }

  async remove(server: string, id: string): Promise<void> {
    await (await this.handle()).delete('tokens', [server, id]);
  }

  async removeMany(server: string, ids: readonly string[]): Promise<void> {
    const tx = (await this.handle()).transaction('tokens', 'readwrite');
    await Promise.all([...ids.map((id) => tx.store.delete([server, id])), tx.done]);
  }

  /** Forgets a server entirely: its tokens and its sync state (sign-out, server removed). */
  async clearServer(server: string): Promise<void> {
    const tx = (await this.handle()).transaction(['tokens', 'servers'], 'readwrite');
    await Promise.all([tx.objectStore('tokens').delete(serverRange(server)), tx.objectStore('servers').delete(server), tx.done]);
  }

  /** Tokens on every server that expire within `days` days, soonest first. */
  async expiringWithin(days: number, query: ExpiringQuery = {}): Promise<ExpiringToken[]> {
    const now = query.now ?? Date.now();
    const lower = query.includeExpired ? -Infinity : now;
    const range = IDBKeyRange.bound(lower === -Infinity ? Number.MIN_SAFE_INTEGER : lower, now + days * DAY_MS);
    const records = await (await this.handle()).getAllFromIndex('tokens', 'by-expiry', range);
    const skipDisabled = query.skipDisabled ?? true;
    return records
      .filter((r) => !(skipDisabled && r.token.status === 'disabled'))
      .map((r) => ({ server: r.server, token: r.token }));
  }

  async getSyncState(server: string): Promise<ServerSyncState | undefined> {
    return (await this.handle()).get('servers', server);
  }

  /** Merges `patch` into a server's sync state (creating it) and returns the result. */
  async updateSyncState(server: string, patch: Partial<Omit<ServerSyncState, 'server'>>): Promise<ServerSyncState> {
    assertNoSecret(patch);
    const tx = (await this.handle()).transaction('servers', 'readwrite');
    const previous = await tx.store.get(server);
    const next: ServerSyncState = { ...(previous ?? emptyState(server)), ...patch, server };
    await Promise.all([tx.store.put(next), tx.done]);
    return next;
  }

  /** Every server that has sync state. */
  async listServers(): Promise<ServerSyncState[]> {
    return (await this.handle()).getAll('servers');
  }
}
