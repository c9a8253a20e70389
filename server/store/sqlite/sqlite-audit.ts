/** The audit log in the SQLite file: appended in the transaction of each change, read newest first. */
import type { AuditEvent } from '../../../lib/model.ts';
import type { AuditEntry, AuditListQuery } from '../records.ts';
import { toAuditEvent, type Row } from '../row-mapping.ts';
import { auditListSql } from '../query-pieces.ts';
import { SQLITE_DIALECT, type SqliteDatabase } from './sqlite-database.ts';

export class SqliteAudit {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.#db.audit(entry);
  }

  async listAudit(query: AuditListQuery): Promise<AuditEvent[]> {
    const { sql, params } = auditListSql(SQLITE_DIALECT, query);
    return (this.#db.stmt(sql).all(...(params as (string | number)[])) as Row[]).map(toAuditEvent);
  }
}
