/**
 * The extension's view of lib's IndexedDB metadata cache ({@link TokenCache}). Background and popup
 * share the extension origin, hence the same database: the background writes after each refresh
 * and change, the popup reads at open to paint at once. The cache's key for a server is the
 * extension's server id, so removing a server clears exactly its snapshot.
 */
import { TokenCache } from '../lib/cache/token-cache.ts';
import type { TokenMeta } from '../lib/model.ts';

/** The metadata cache as the background needs it (metadata only: no secret ever). */
export interface MetadataCacheLike {
  read(serverId: string): Promise<{ items: TokenMeta[]; cachedAt: string } | null>;
  write(serverId: string, items: TokenMeta[], cachedAt: string): Promise<void>;
  clear(serverId: string): Promise<void>;
}

export function openMetadataCache(): MetadataCacheLike {
  let opened: Promise<TokenCache> | undefined;
  const cache = (): Promise<TokenCache> => {
    opened ??= TokenCache.open().catch((error: unknown) => {
      opened = undefined; // try again next time (e.g. blocked by an upgrade elsewhere)
      throw error;
    });
    return opened;
  };
  return {
    async read(serverId) {
      const c = await cache();
      const [items, state] = await Promise.all([c.list(serverId), c.getSyncState(serverId)]);
      const cachedAt = state?.last_sync_at ?? null;
      if (cachedAt === null && items.length === 0) return null;
      return { items, cachedAt: cachedAt ?? new Date(0).toISOString() };
    },
    async write(serverId, items, cachedAt) {
      await (await cache()).replaceSnapshot(serverId, items, { last_sync_at: cachedAt, last_attempt_at: cachedAt, last_error: null, offline_since: null });
    },
    async clear(serverId) {
      await (await cache()).clearServer(serverId);
    },
  };
}
