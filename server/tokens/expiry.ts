/** When tokens end: the server's lifetime policy (docs/security.md rule 7) and the "unused for N days" window. */
import type { Store, TokenRecord } from '../store/store.ts';
import { problems } from '../http/problems.ts';

export const DAY_MS = 86_400_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

interface Deps {
  store: Store;
  now: () => number;
}

/** Applies the server's lifetime policy: default, maximum, and whether "never" is allowed. */
export async function resolveExpiry(ctx: Deps, requested: string | null | undefined): Promise<string | null> {
  const settings = await ctx.store.getSettings();
  const now = ctx.now();
  const maxMs = settings.max_lifetime_days > 0 ? settings.max_lifetime_days * DAY_MS : Infinity;
  if (requested === undefined) {
    return new Date(now + Math.min(settings.default_lifetime_days * DAY_MS, maxMs)).toISOString();
  }
  if (requested === null) {
    if (!settings.allow_no_expiry) throw problems.field('expires_at', 'This server requires an expiry date on every token.');
    return null;
  }
  const time = ISO_TIME.test(requested) ? Date.parse(requested) : NaN;
  if (Number.isNaN(time)) throw problems.field('expires_at', 'expires_at must be an ISO 8601 time, e.g. 2027-01-31T00:00:00Z.');
  if (time <= now) throw problems.field('expires_at', 'expires_at must be in the future.');
  if (time - now > maxMs + 60_000) {
    throw problems.field('expires_at', `Tokens on this server live at most ${settings.max_lifetime_days} days.`);
  }
  return new Date(time).toISOString();
}

/**
 * The expiry of a clone: as asked, else "never" when the source never expires and the policy still
 * allows it, else the source's lifetime counted from now (capped by the policy).
 */
export async function cloneExpiry(ctx: Deps, source: TokenRecord, requested: string | null | undefined): Promise<string | null> {
  let wanted = requested;
  if (wanted === undefined && source.expires_at === null && (await ctx.store.getSettings()).allow_no_expiry) wanted = null;
  if (wanted === undefined && source.expires_at !== null) {
    const lifetime = Date.parse(source.expires_at) - Date.parse(source.created_at);
    const maxDays = (await ctx.store.getSettings()).max_lifetime_days;
    const capped = maxDays > 0 ? Math.min(lifetime, maxDays * DAY_MS) : lifetime;
    if (capped > 0) wanted = new Date(ctx.now() + capped).toISOString();
  }
  return resolveExpiry(ctx, wanted);
}

/** Start of the idle window of "unused for N days" (N from 1 to 3650), or a 400 naming the field. */
export function unusedBefore(ctx: { now: () => number }, days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw problems.field('unused_days', 'unused_days must be a whole number of days from 1 to 3650.');
  return new Date(ctx.now() - days * DAY_MS).toISOString();
}
