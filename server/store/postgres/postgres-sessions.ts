/** Sign-in sessions in PostgreSQL; expired ones are swept whenever a new one starts. */
import type { AuditEntry, NewSession, SessionAuthRecord } from '../records.ts';
import { toSessionAuth, type Row } from '../row-mapping.ts';
import { sessionByDigestSql } from '../query-pieces.ts';
import { requireSameSignIn } from '../preconditions.ts';
import { POSTGRES_DIALECT, type PostgresDatabase } from './postgres-database.ts';

const SESSION_BY_DIGEST = sessionByDigestSql(POSTGRES_DIALECT);

export class PostgresSessions {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  async createSession(session: NewSession, audit: AuditEntry | null): Promise<void> {
    await this.#db.transaction(async (client) => {
      // Under the user's row lock, so a password change or deactivation committed meanwhile is seen.
      const user = (
        await client.query('SELECT active, password_hash IS NOT DISTINCT FROM $2::text AS same_password FROM users WHERE id = $1 FOR SHARE', [session.user_id, session.password_hash])
      ).rows[0] as Row | undefined;
      requireSameSignIn(user);
      await client.query('DELETE FROM sessions WHERE expires_at <= $1', [session.created_at]);
      await client.query('INSERT INTO sessions (id, digest, user_id, mode, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        session.id,
        session.digest,
        session.user_id,
        session.mode,
        session.created_at,
        session.expires_at,
      ]);
      await this.#db.audit(client, audit);
    });
  }

  async findSessionByDigest(digest: Buffer): Promise<SessionAuthRecord | null> {
    const row = (await this.#db.query({ name: 'session_by_digest', text: SESSION_BY_DIGEST, values: [digest] })).rows[0] as Row | undefined;
    return row ? toSessionAuth(row) : null;
  }

  async deleteSession(id: string, audit: AuditEntry | null): Promise<void> {
    await this.#db.transaction(async (client) => {
      await client.query('DELETE FROM sessions WHERE id = $1', [id]);
      await this.#db.audit(client, audit);
    });
  }
}
