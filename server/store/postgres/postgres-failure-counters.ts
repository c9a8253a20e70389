/** Failure counters for throttling in `throttle_failures`, shared by every instance on this database. */
import type pg from 'pg';
import { waitAfterTake, waitFrom, type CounterKey, type CounterRow, type FailureCounters, type Slot, type Taken } from '../../auth/throttle.ts';
import type { Row } from '../row-mapping.ts';

/**
 * Counts one more for each key ($1 keys, $2 now, $3 window lengths), starting a new window where
 * the old one ended: one statement, so counts from every instance add up atomically.
 */
const COUNT_ONE = `INSERT INTO throttle_failures AS f (key, count, reset_at)
  SELECT key, 1, $2::bigint + window_ms FROM unnest($1::text[], $3::bigint[]) AS x(key, window_ms)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN f.reset_at <= $2 THEN 1 ELSE f.count + 1 END,
    reset_at = CASE WHEN f.reset_at <= $2 THEN excluded.reset_at ELSE f.reset_at END`;

export class PostgresFailureCounters implements FailureCounters {
  readonly #query: (sql: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>;
  #writes = 0;

  constructor(query: (sql: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>) {
    this.#query = query;
  }

  async retryAfter(keys: CounterKey[], now: number): Promise<number> {
    const rows = (
      await this.#query({
        name: 'throttle_read',
        text: 'SELECT key, count, reset_at FROM throttle_failures WHERE key = ANY($1::text[]) AND reset_at > $2',
        values: [keys.map((k) => k.key), now],
      })
    ).rows as Row[];
    return waitFrom(
      rows.map((r) => ({ key: r.key as string, count: Number(r.count), resetAt: Number(r.reset_at) })),
      keys,
      now,
    );
  }

  async fail(keys: CounterKey[], now: number): Promise<void> {
    // One statement per failure: counts from every instance add up atomically.
    await this.#query({
      name: 'throttle_fail',
      text: COUNT_ONE,
      values: [keys.map((k) => k.key), now, keys.map((k) => k.limit.windowMs)],
    });
    // Ended windows are swept now and then, by whichever instance counts a failure.
    if (++this.#writes % 500 === 0) await this.#query('DELETE FROM throttle_failures WHERE reset_at <= $1', [now]);
  }

  async reset(key: string): Promise<void> {
    await this.#query({ name: 'throttle_reset', text: 'DELETE FROM throttle_failures WHERE key = $1', values: [key] });
  }

  /**
   * Take and test in one statement (docs/security.md rule 28): every instance's concurrent takes on
   * a counter are serialised by its row lock, each sees the count its own take made, so no more
   * than the limit pass. A take past the limit is given back at once.
   */
  async take(keys: CounterKey[], now: number): Promise<Taken> {
    const rows = (
      await this.#query({
        name: 'throttle_take',
        text: `${COUNT_ONE} RETURNING key, count, reset_at`,
        values: [keys.map((k) => k.key), now, keys.map((k) => k.limit.windowMs)],
      })
    ).rows as Row[];
    const counted: CounterRow[] = rows.map((r) => ({ key: r.key as string, count: Number(r.count), resetAt: Number(r.reset_at) }));
    // In key order (address, then account), as the take locked them.
    const slots: Slot[] = keys.flatMap((k) => counted.filter((c) => c.key === k.key).map((c) => ({ key: c.key, resetAt: c.resetAt })));
    const retryAfter = waitAfterTake(counted, keys, now);
    if (retryAfter === 0) return { retryAfter, slots };
    await this.refund(slots);
    return { retryAfter, slots: [] };
  }

  async refund(slots: Slot[]): Promise<void> {
    // One row per statement: a statement that held one row while waiting for another could
    // deadlock with a take locking the same two rows in its own order.
    for (const { key, resetAt } of slots) {
      await this.#query({
        name: 'throttle_refund',
        text: 'UPDATE throttle_failures SET count = count - 1 WHERE key = $1 AND reset_at = $2 AND count > 0',
        values: [key, resetAt],
      });
    }
  }
}
