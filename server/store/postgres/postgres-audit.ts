/** The audit log in PostgreSQL: appended in the transaction of each change, read newest first. */
import type { AuditEvent } from '../../../lib/model.ts';
import type { AuditEntry, AuditListQuery } from '../records.ts';
import { toAuditEvent, type Row } from '../row-mapping.ts';
import { auditListSql } from '../query-pieces.ts';
import { POSTGRES_DIALECT, type PostgresDatabase } from './postgres-database.ts';

export class PostgresAudit {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.#db.audit(this.#db.pooled, entry);
  }

  async listAudit(query: AuditListQuery): Promise<AuditEvent[]> {
    const { sql, params } = auditListSql(POSTGRES_DIALECT, query);
    return ((await this.#db.query(sql, params)).rows as Row[]).map(toAuditEvent);
  }
}
