/**
 * Server settings and internal flags in the PostgreSQL `settings` table, read on every call: another
 * instance may have changed them a moment ago.
 */
import type { ServerSettings } from '../defaults.ts';
import type { AuditEntry } from '../records.ts';
import type { Row } from '../row-mapping.ts';
import { flagKey, isSettingKey, settingsFromRows } from '../defaults.ts';
import type { PostgresDatabase, Queryable } from './postgres-database.ts';

const UPSERT = 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

export class PostgresSettings {
  readonly #db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.#db = db;
  }

  getSettings(): Promise<ServerSettings> {
    return this.#read(this.#db.pooled);
  }

  async #read(client: Queryable): Promise<ServerSettings> {
    const rows = (await client.query({ name: 'settings_all', text: "SELECT key, value FROM settings WHERE key NOT LIKE 'flag:%'" })).rows as Row[];
    return settingsFromRows(rows);
  }

  async updateSettings(patch: Partial<ServerSettings>, audit: AuditEntry | null): Promise<ServerSettings> {
    return this.#db.transaction(async (client) => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined || !isSettingKey(key)) continue;
        await client.query(UPSERT, [key, JSON.stringify(value)]);
      }
      await this.#db.audit(client, audit);
      return this.#read(client);
    });
  }

  async getFlag(key: string): Promise<string | null> {
    const row = (await this.#db.query('SELECT value FROM settings WHERE key = $1', [flagKey(key)])).rows[0] as Row | undefined;
    return row ? (JSON.parse(row.value as string) as string) : null;
  }

  async claimFlag(key: string, value: string): Promise<string> {
    await this.#db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [flagKey(key), JSON.stringify(value)]);
    return (await this.getFlag(key))!;
  }

  async setFlag(key: string, value: string): Promise<void> {
    await this.#db.query(UPSERT, [flagKey(key), JSON.stringify(value)]);
  }
}
