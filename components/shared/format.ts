/** Display rules shared by the components: dates, derived status, safe links. */
import type { TokenMeta } from '../../lib/model.ts';

/**
 * `expiring` and `scheduled` are not server statuses: an active token within `soonDays` of its
 * expiry, and one whose `not_before` is still ahead (it works only from then on).
 */
export type DisplayStatus = 'active' | 'disabled' | 'expired' | 'expiring' | 'pending' | 'denied' | 'scheduled';

const DAY = 86_400_000;

export function displayStatus(token: TokenMeta, now: number, soonDays: number): DisplayStatus {
  if (token.status !== 'active') return token.status;
  const at = token.expires_at ? Date.parse(token.expires_at) : NaN;
  if (at <= now) return 'expired';
  if (token.not_before && Date.parse(token.not_before) > now) return 'scheduled';
  if (at - now <= soonDays * DAY) return 'expiring';
  return 'active';
}

/** The words for each shown status (the list's strings carry them). */
export interface StatusWords {
  statusActive: string;
  statusDisabled: string;
  statusExpired: string;
  statusExpiring: string;
  statusPending: string;
  statusDenied: string;
  statusScheduled: string;
}

export function statusLabel(s: StatusWords, status: DisplayStatus): string {
  const words: Record<DisplayStatus, string> = {
    active: s.statusActive,
    disabled: s.statusDisabled,
    expired: s.statusExpired,
    expiring: s.statusExpiring,
    pending: s.statusPending,
    denied: s.statusDenied,
    scheduled: s.statusScheduled,
  };
  return words[status];
}

/** `YYYY-MM-DD` for `<input type="date">`, in local time. */
export function toDateInput(time: number): string {
  const d = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** End of the given local day as an ISO string (a token picked "until the 5th" works all of the 5th). */
export function endOfDateInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 0);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function daysFromNow(days: number, now = Date.now()): string {
  return new Date(now + days * DAY).toISOString();
}

/**
 * Only http(s) URLs may be bound to `href` (docs/security.md rule 24): anything else (javascript:, data:,
 * relative junk) yields `undefined`, and Lit's `ifDefined` then drops the attribute.
 */
export function safeHttpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A message for anything thrown by a provider. */
export function messageOf(error: unknown): { code: string; message: string } {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const e = error as { code: unknown; message: unknown };
    return { code: String(e.code), message: String(e.message) };
  }
  if (error instanceof Error) return { code: 'unknown', message: error.message };
  return { code: 'unknown', message: String(error) };
}

/**
 * True when an error means nobody is signed in: no or an expired session, or a cookie session the
 * server refused as cross-site (`csrf_failed`: cookie mode used from another origin), which to the
 * user is the same thing.
 */
export function isSignedOut(error: unknown): boolean {
  const e = error as { code?: unknown; serverCode?: unknown } | null;
  return e?.code === 'unauthorized' || e?.serverCode === 'csrf_failed' || e?.code === 'csrf_failed';
}

/** True when an error means the server wants the password re-entered. */
export function needsPassword(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'password_confirmation_required' || code === 'password_incorrect';
}
