/** Page size and opaque cursors of the list routes (`limit`, `cursor` → `next_cursor`). */
import { problems } from './problems.ts';

export function parseLimit(value: string | undefined, fallback = 50): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw problems.field('limit', 'limit must be an integer from 1 to 200.');
  return n;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, check: (value: unknown) => value is T): T | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // fall through
  }
  throw problems.field('cursor', 'cursor is not valid: use the next_cursor of a previous page.');
}

/** One page of `limit` rows from `limit + 1` fetched, with the cursor of the next page when there is one. */
export function pageFrom<R, T>(rows: R[], limit: number, item: (row: R) => T, cursorOf: (last: R) => unknown): { items: T[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(item), next_cursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
