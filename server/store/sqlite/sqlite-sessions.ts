/** Sign-in sessions in the SQLite file; expired ones are swept whenever a new one starts. */
import type { AuditEntry, NewSession, SessionAuthRecord } from '../records.ts';
import { toSessionAuth, type Row } from '../row-mapping.ts';
import { sessionByDigestSql } from '../query-pieces.ts';
import { requireSameSignIn } from '../preconditions.ts';
import { SQLITE_DIALECT, type SqliteDatabase } from './sqlite-database.ts';

const SESSION_BY_DIGEST = sessionByDigestSql(SQLITE_DIALECT);

export class SqliteSessions {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async createSession(session: NewSession, audit: AuditEntry | null): Promise<void> {
    this.#db.transaction(() => {
      requireSameSignIn(this.#db.stmt('SELECT active, password_hash IS ?2 AS same_password FROM users WHERE id = ?1').get(session.user_id, session.password_hash) as Row | undefined);
      this.#db.stmt('DELETE FROM sessions WHERE expires_at <= ?').run(session.created_at);
      this.#db
        .stmt('INSERT INTO sessions (id, digest, user_id, mode, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(session.id, session.digest, session.user_id, session.mode, session.created_at, session.expires_at);
      this.#db.audit(audit);
    });
  }

  async findSessionByDigest(digest: Buffer): Promise<SessionAuthRecord | null> {
    const row = this.#db.stmt(SESSION_BY_DIGEST).get(digest) as Row | undefined;
    return row ? toSessionAuth(row) : null;
  }

  async deleteSession(id: string, audit: AuditEntry | null): Promise<void> {
    this.#db.transaction(() => {
      this.#db.stmt('DELETE FROM sessions WHERE id = ?').run(id);
      this.#db.audit(audit);
    });
  }
}
