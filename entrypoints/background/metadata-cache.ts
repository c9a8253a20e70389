/**
 * The extension's view of the IndexedDB metadata cache. Background and popup share the
 * extension origin, hence the same database: the background writes after each refresh, the popup
 * reads at open to paint at once.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { TokenMeta } from '../../lib/model.ts';
import type { MetadataCacheLike } from './service.ts';

const DB_NAME = 'patkit-extension';

interface Snapshot {
  serverId: string;
  items: TokenMeta[];
  cachedAt: string;
}

let db: Promise<IDBPDatabase> | undefined;
function database(): Promise<IDBPDatabase> {
  db ??= openDB(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('snapshots', { keyPath: 'serverId' });
    },
  });
  return db;
}

export function openMetadataCache(): MetadataCacheLike {
  return {
    async read(serverId) {
      const snap = (await (await database()).get('snapshots', serverId)) as Snapshot | undefined;
      return snap ? { items: snap.items, cachedAt: snap.cachedAt } : null;
    },
    async write(serverId, items, cachedAt) {
      await (await database()).put('snapshots', { serverId, items, cachedAt } satisfies Snapshot);
    },
    async clear(serverId) {
      await (await database()).delete('snapshots', serverId);
    },
  };
}
