/**
 * `npm run serve -- --migrate-to postgres://…`: copies a SQLite data dir into an empty PostgreSQL
 * database: settings, users and roles, sessions, organisations, groups, memberships, tokens (their
 * digests, so every token still verifies with the same pepper), the audit log with its sequence
 * numbers, and webhooks with their queue, delivery log and notices (the sealed secrets open with the
 * same pepper). One transaction: a failure leaves the target empty. A target that holds any patkit data
 * is refused. The SQLite data dir is only read (and locked, so no server writes to it meanwhile).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { PostgresStore } from './postgres/postgres-store.ts';
import { EXPORTED_TABLES, SqliteStore } from './sqlite/sqlite-store.ts';

type Table = (typeof EXPORTED_TABLES)[number];

/** Columns whose SQLite 0/1 integers are PostgreSQL booleans. */
const BOOLEAN_COLUMNS: Partial<Record<Table, string[]>> = {
  users: ['active'],
  tokens: ['disabled'],
  webhooks: ['active'],
  organizations: ['require_token_approval'],
};
const ROWS_PER_INSERT = 500;

function convert(table: Table, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (BOOLEAN_COLUMNS[table]?.includes(column)) out[column] = value === 1 || value === 1n;
    else if (value instanceof Uint8Array) out[column] = Buffer.from(value);
    else if (typeof value === 'bigint') out[column] = value.toString();
    else out[column] = value;
  }
  return out;
}

async function insertBatch(client: pg.PoolClient, table: Table, rows: Record<string, unknown>[]): Promise<void> {
  const columns = Object.keys(rows[0]!);
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${columns.map((c) => (values.push(row[c]), `$${values.length}`)).join(', ')})`);
  await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
}

export async function migrateSqliteToPostgres(dataDir: string, url: string, log: (line: string) => void): Promise<{ copied: Record<string, number> }> {
  const file = join(dataDir, 'patkit.db');
  if (!existsSync(file)) throw new Error(`${file} does not exist: set PATKIT_DATA_DIR to the data dir to copy`);
  if (!existsSync(join(dataDir, 'pepper'))) throw new Error(`${join(dataDir, 'pepper')} is missing: without it the copied tokens cannot be verified`);
  const source = new SqliteStore(dataDir);
  let target: PostgresStore | null = null;
  try {
    target = await PostgresStore.open(url);
    const present: string[] = [];
    for (const table of EXPORTED_TABLES) {
      const n = Number((await target.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
      if (n > 0) present.push(`${n} ${table} rows`);
    }
    if (present.length > 0) throw new Error(`the target database is not empty (${present.join(', ')}): copy into a new, empty database`);

    const totals = Object.fromEntries(EXPORTED_TABLES.map((t) => [t, source.countRows(t)])) as Record<Table, number>;
    log(`Copying ${file} to ${redactDatabaseUrl(url)}: ${EXPORTED_TABLES.map((t) => `${totals[t]} ${t}`).join(', ')}`);
    const copied: Record<string, number> = {};
    const started = Date.now();
    await target.transaction(async (client) => {
      for (const table of EXPORTED_TABLES) {
        let done = 0;
        let lastReport = Date.now();
        let batch: Record<string, unknown>[] = [];
        for (const row of source.exportRows(table)) {
          batch.push(convert(table, row));
          if (batch.length === ROWS_PER_INSERT) {
            await insertBatch(client, table, batch);
            done += batch.length;
            batch = [];
            if (Date.now() - lastReport > 1_000) {
              log(`  ${table}: ${done} of ${totals[table]} (${Math.round((done / totals[table]) * 100)}%)`);
              lastReport = Date.now();
            }
          }
        }
        if (batch.length > 0) await insertBatch(client, table, batch);
        done += batch.length;
        copied[table] = done;
        log(`  ${table}: ${done} copied`);
      }
      // The audit sequence continues after the copied numbers.
      await client.query("SELECT setval(pg_get_serial_sequence('audit', 'seq'), GREATEST((SELECT COALESCE(MAX(seq), 0) FROM audit), 1))");
      await client.query("SELECT setval(pg_get_serial_sequence('webhook_deliveries', 'seq'), GREATEST((SELECT COALESCE(MAX(seq), 0) FROM webhook_deliveries), 1))");
      // Webhooks go on from where the SQLite server stopped: no audit history is sent again.
      await client.query('UPDATE webhook_outbox SET audit_seq = $1 WHERE id = 1', [(await source.webhooks.readOutbox(0)).cursor]);
      for (const table of EXPORTED_TABLES) {
        const n = Number((await client.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n);
        if (n !== totals[table]) throw new Error(`${table}: ${n} rows arrived of ${totals[table]}; nothing was committed`);
      }
    });
    log(
      `Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Start patkit with PATKIT_DATABASE_URL set and the same pepper ` +
        `(PATKIT_PEPPER_FILE=${join(dataDir, 'pepper')} or the same PATKIT_DATA_DIR).`,
    );
    return { copied };
  } finally {
    source.closeNow();
    await target?.close();
  }
}

/** A database URL fit for a log line: the password masked, or a placeholder when it does not parse. */
export function redactDatabaseUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}
