/**
 * The IndexedDB layout of the metadata cache and its upgrade path. Every version that ever shipped
 * stays described here, so a browser holding any older database upgrades step by step.
 *
 * - v1: `tokens` held flat records (`TokenMeta` fields plus `server`), keyed by [server, id],
 *   indexed by server.
 * - v2: records wrap the metadata (`{server, id, token, expires_ms}`) so cache bookkeeping can never
 *   collide with a provider's fields; index `by-expiry` on `expires_ms` (absent for tokens that never
 *   expire, so they are not in that index at all); store `servers` for per-server sync state.
 *   The upgrade rewrites v1 records and drops any that carry a secret.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { SerializedProviderError } from '../errors.ts';
import type { TokenMeta, UserRef } from '../model.ts';
import { carriesSecret } from './secret-guard.ts';

export const CACHE_DB_NAME = 'patkit';
export const CACHE_DB_VERSION = 2;

export interface CachedTokenRecord {
  /** The server key (see `TokenCache`), usually the provider's normalised base URL. */
  server: string;
  id: string;
  token: TokenMeta;
  /** `Date.parse(token.expires_at)`; absent when the token never expires. */
  expires_ms?: number;
}

export interface ServerSyncState {
  server: string;
  /** Whose tokens the snapshot holds. */
  user: UserRef | null;
  /** Last successful sync (ISO). */
  last_sync_at: string | null;
  /** Last attempt, successful or not (ISO). */
  last_attempt_at: string | null;
  last_error: SerializedProviderError | null;
  /** Since when the server has been unreachable (ISO); `null` when the last attempt reached it. */
  offline_since: string | null;
}

export interface PatkitCacheSchema extends DBSchema {
  tokens: {
    key: [string, string];
    value: CachedTokenRecord;
    indexes: { 'by-server': string; 'by-expiry': number };
  };
  servers: {
    key: string;
    value: ServerSyncState;
  };
}

type UpgradeTx = IDBPTransaction<PatkitCacheSchema, StoreNames<PatkitCacheSchema>[], 'versionchange'>;

export function toRecord(server: string, token: TokenMeta): CachedTokenRecord {
  const record: CachedTokenRecord = { server, id: token.id, token };
  if (token.expires_at !== null) {
    const ms = Date.parse(token.expires_at);
    if (!Number.isNaN(ms)) record.expires_ms = ms;
  }
  return record;
}

/** v1 → v2: wrap flat records; a record with a secret in it is deleted, not carried forward. */
async function migrateV1Records(tx: UpgradeTx): Promise<void> {
  let cursor = await tx.objectStore('tokens').openCursor();
  while (cursor) {
    const old = cursor.value as unknown as Record<string, unknown> & { server: string; id: string };
    if (carriesSecret(old)) {
      await cursor.delete();
    } else {
      const { server, ...meta } = old;
      await cursor.update(toRecord(server, meta as unknown as TokenMeta));
    }
    cursor = await cursor.continue();
  }
}

export function upgradeCache(db: IDBPDatabase<PatkitCacheSchema>, oldVersion: number, tx: UpgradeTx): Promise<void> | void {
  if (oldVersion < 1) {
    const tokens = db.createObjectStore('tokens', { keyPath: ['server', 'id'] });
    tokens.createIndex('by-server', 'server');
  }
  if (oldVersion < 2) {
    tx.objectStore('tokens').createIndex('by-expiry', 'expires_ms');
    db.createObjectStore('servers', { keyPath: 'server' });
    if (oldVersion >= 1) return migrateV1Records(tx);
  }
}
