/**
 * Server settings and internal flags in the SQLite `settings` table. The settings are also kept in
 * memory: this process is the only writer of this file.
 */
import type { ServerSettings } from '../defaults.ts';
import type { AuditEntry } from '../records.ts';
import type { Row } from '../row-mapping.ts';
import { flagKey, isSettingKey, settingsFromRows } from '../defaults.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

const UPSERT = 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

export class SqliteSettings {
  readonly #db: SqliteDatabase;
  #settings: ServerSettings;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#settings = this.#read();
  }

  /** The settings as last committed (read by the verification lookup without a copy). */
  get current(): ServerSettings {
    return this.#settings;
  }

  #read(): ServerSettings {
    return settingsFromRows(this.#db.stmt('SELECT key, value FROM settings').all() as Row[]);
  }

  async getSettings(): Promise<ServerSettings> {
    return { ...this.#settings };
  }

  async updateSettings(patch: Partial<ServerSettings>, audit: AuditEntry | null): Promise<ServerSettings> {
    this.#db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined || !isSettingKey(key)) continue;
        this.#db.stmt(UPSERT).run(key, JSON.stringify(value));
      }
      this.#db.audit(audit);
    });
    this.#settings = this.#read();
    return this.getSettings();
  }

  async getFlag(key: string): Promise<string | null> {
    const row = this.#db.stmt('SELECT value FROM settings WHERE key = ?').get(flagKey(key)) as Row | undefined;
    return row ? (JSON.parse(row.value as string) as string) : null;
  }

  async claimFlag(key: string, value: string): Promise<string> {
    this.#db.stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(flagKey(key), JSON.stringify(value));
    return (await this.getFlag(key))!;
  }

  async setFlag(key: string, value: string): Promise<void> {
    this.#db.verifiedTokens.clear();
    this.#db.stmt(UPSERT).run(flagKey(key), JSON.stringify(value));
  }
}
