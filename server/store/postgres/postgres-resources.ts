/** The resource registry and token templates in PostgreSQL: the shared SQL on this database's pool and transactions. */
import type { AuditEntry } from '../records.ts';
import { SqlResourceStore } from '../resource-store.ts';
import type { Row } from '../row-mapping.ts';
import { POSTGRES_DIALECT, type PostgresDatabase } from './postgres-database.ts';

export function postgresResources(db: PostgresDatabase): SqlResourceStore {
  return new SqlResourceStore({
    dialect: POSTGRES_DIALECT,
    all: async (sql, params) => (await db.query(sql, params)).rows as Row[],
    write: (sql, params, audit: AuditEntry) =>
      db.transaction(async (client) => {
        const changed = (await client.query(sql, params)).rowCount ?? 0;
        if (changed > 0) await db.audit(client, audit);
        return changed;
      }),
  });
}
