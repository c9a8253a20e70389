/** The resource registry and token templates on the SQLite file: the shared SQL on this file's statements and transactions. */
import type { AuditEntry } from '../records.ts';
import { SqlResourceStore } from '../resource-store.ts';
import type { Row } from '../row-mapping.ts';
import { SQLITE_DIALECT, type SqliteDatabase } from './sqlite-database.ts';

export function sqliteResources(db: SqliteDatabase): SqlResourceStore {
  return new SqlResourceStore({
    dialect: SQLITE_DIALECT,
    all: async (sql, params) => db.stmt(sql).all(...params) as Row[],
    write: async (sql, params, audit: AuditEntry) =>
      db.transaction(() => {
        const changed = Number(db.stmt(sql).run(...params).changes);
        if (changed > 0) db.audit(audit);
        return changed;
      }),
  });
}
