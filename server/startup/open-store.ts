/** The store and the services on it, as the options ask: PostgreSQL when a database URL is given, else SQLite in dataDir. */
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../app-context.ts';
import { pepperKey } from '../auth/credentials.ts';
import { DEFAULT_THROTTLE } from '../auth/throttle.ts';
import { Catalog, loadHostScopes } from '../catalog/catalog.ts';
import { loadResourceTypes } from '../catalog/resource-types.ts';
import type { ServerOptions } from '../server-options.ts';
import { PostgresStore } from '../store/postgres/postgres-store.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { checkPepper, loadPepper } from './pepper.ts';

async function openStore(options: ServerOptions): Promise<Store> {
  if (options.store) return options.store;
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) throw new Error('PATKIT_DATABASE_URL must start with postgres:// or postgresql://');
    return PostgresStore.open(options.databaseUrl, { poolSize: options.databasePoolSize });
  }
  return new SqliteStore(options.dataDir);
}

/** Loads the pepper, opens the store, checks they belong together and builds the shared services. */
export async function openContext(options: ServerOptions): Promise<AppContext> {
  const pepperFile = options.pepperFile ?? join(options.dataDir, 'pepper');
  const sqliteFile = options.store === undefined && !options.databaseUrl ? join(options.dataDir, 'patkit.db') : null;
  const pepper = pepperKey(loadPepper(pepperFile, sqliteFile));
  const store = await openStore(options);
  try {
    await checkPepper(store, pepper, pepperFile);
  } catch (error) {
    await store.close();
    throw error;
  }
  const catalog = options.scopesFile ? new Catalog(loadHostScopes(options.scopesFile), loadResourceTypes(options.scopesFile)) : new Catalog();
  return createAppContext({ store, catalog, pepper, throttle: { ...DEFAULT_THROTTLE, ...options.throttle }, now: options.now ?? Date.now });
}
