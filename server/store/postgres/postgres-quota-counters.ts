/**
 * Quota windows in `throttle_failures` (the table the failure counters use, under their own keys),
 * shared by every instance on this database. Taking a use and testing the limit are one statement
 * (docs/security.md rule 28): the upsert's row lock serialises concurrent takes, and its WHERE refuses
 * the increment once the window is full, so a burst across instances and connections cannot overrun it.
 */
import type pg from 'pg';
import type { CounterKey } from '../../auth/throttle.ts';
import { secondsUntil, type QuotaCounters } from '../../auth/quota.ts';
import type { Row } from '../row-mapping.ts';

export class PostgresQuotaCounters implements QuotaCounters {
  readonly #query: (sql: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>;

  constructor(query: (sql: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>) {
    this.#query = query;
  }

  async take(key: CounterKey, now: number): Promise<number> {
    const taken = await this.#query({
      name: 'quota_take',
      text: `INSERT INTO throttle_failures AS f (key, count, reset_at) VALUES ($1, 1, $2::bigint + $3::bigint)
             ON CONFLICT (key) DO UPDATE SET
               count = CASE WHEN f.reset_at <= $2 THEN 1 ELSE f.count + 1 END,
               reset_at = CASE WHEN f.reset_at <= $2 THEN excluded.reset_at ELSE f.reset_at END
             WHERE f.reset_at <= $2 OR f.count < $4
             RETURNING count`,
      values: [key.key, now, key.limit.windowMs, key.limit.max],
    });
    if (taken.rowCount === 1) return 0;
    // Refused (the decision above is final); this read only says for how long, for Retry-After.
    const row = (await this.#query({ name: 'quota_reset_at', text: 'SELECT reset_at FROM throttle_failures WHERE key = $1', values: [key.key] })).rows[0] as Row | undefined;
    return row ? secondsUntil(Number(row.reset_at), now) : 1;
  }
}
