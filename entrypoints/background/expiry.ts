/** Which tokens count as "expiring soon" for the badge and the daily notification. Pure functions. */
import type { TokenMeta } from '../../lib/model.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Active tokens whose expiry falls within the next `days` days (already expired ones do not count). */
export function expiringSoon(tokens: TokenMeta[], days: number, now: number): TokenMeta[] {
  const limit = now + days * DAY_MS;
  return tokens.filter((t) => {
    if (t.status !== 'active' || t.expires_at === null) return false;
    const at = Date.parse(t.expires_at);
    return Number.isFinite(at) && at > now && at <= limit;
  });
}

/** Badge text: the count, empty for none, `99+` beyond two digits. */
export function badgeText(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

/** Local calendar day, so "once a day" means once per day the user lives in. */
export function dayKey(now: number): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Local calendar days from `now` to `at` (0 = later today, 1 = tomorrow), as a person counts them:
 * a token expiring tomorrow morning is "tomorrow", not "in 2 days" (rounding 26 hours up) nor
 * "today" (rounding 20 hours down). Counted on local midnights, so a DST change does not shift it.
 */
export function calendarDaysUntil(at: number, now: number): number {
  const start = new Date(now);
  const end = new Date(at);
  const a = Date.UTC(start.getFullYear(), start.getMonth(), start.getDate());
  const b = Date.UTC(end.getFullYear(), end.getMonth(), end.getDate());
  return Math.max(0, Math.round((b - a) / DAY_MS));
}

/** Translates a message key with substitutions (the background passes `browser.i18n`). */
export type Say = (key: string, substitutions: string[], english: string) => string;
const english: Say = (_key, _subs, text) => text;

/** Notification text naming the tokens (server name: token name, soonest first; at most 5 named). */
export function notificationMessage(entries: Array<{ server: string; token: TokenMeta }>, now: number, say: Say = english): string {
  const sorted = [...entries].sort((a, b) => Date.parse(a.token.expires_at ?? '') - Date.parse(b.token.expires_at ?? ''));
  const lines = sorted.slice(0, 5).map(({ server, token }) => {
    const days = calendarDaysUntil(Date.parse(token.expires_at ?? ''), now);
    if (days === 0) return say('notifyToday', [token.name, server], `${token.name} (${server}) — today`);
    if (days === 1) return say('notifyTomorrow', [token.name, server], `${token.name} (${server}) — tomorrow`);
    return say('notifyInDays', [token.name, server, String(days)], `${token.name} (${server}) — in ${days} days`);
  });
  if (sorted.length > 5) lines.push(say('notifyMore', [String(sorted.length - 5)], `and ${sorted.length - 5} more`));
  return lines.join('\n');
}
