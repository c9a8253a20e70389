/**
 * The per-token policies at creation and change: which organisations govern a new token, whether it
 * must wait for approval (docs/security.md rule 35), the organisations' lifetime caps (rule 36), and
 * the allow-list and not-before fields (rule 37), each checked with a 400 naming the field.
 */
import type { AppContext } from '../app-context.ts';
import { ROLE_SYSTEM_ADMIN } from '../catalog/catalog.ts';
import { parseRange } from '../auth/token-policy.ts';
import type { Principal } from '../auth/principal.ts';
import { problems } from '../http/problems.ts';
import { MAX_ALLOWED_IPS } from '../http/policy-schemas.ts';
import type { OrgRecord } from '../store/org-store.ts';
import { DAY_MS } from './expiry.ts';
import { rangeInside } from '../templates/ip-ranges.ts';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The policy fields a token create body may carry. */
export interface PolicyFields {
  allowed_ips?: string[];
  not_before?: string | null;
  justification?: string;
}

/** A resource a token is bounded to, as far as policies care. */
export interface ResourceBound {
  type: string;
  id: string;
  /** The organisation a registered resource belongs to (known once the resource is resolved). */
  org_id?: string | null;
}

/**
 * The organisations whose policies govern a token: the organisation of an organisation or group
 * token, and every organisation the token is bounded to as a resource. The one place to widen when
 * a token's other resources belong to organisations too.
 */
export function governingOrgIds(ownerOrgId: string | null, resources: readonly ResourceBound[] = []): string[] {
  const ids = new Set<string>();
  if (ownerOrgId !== null) ids.add(ownerOrgId);
  for (const r of resources) {
    if (r.type === 'organization') ids.add(r.id);
    else if (r.org_id) ids.add(r.org_id);
  }
  return [...ids].sort();
}

/** The organisations themselves (those that no longer exist are skipped). */
export async function governingOrgs(ctx: AppContext, ids: readonly string[]): Promise<OrgRecord[]> {
  const orgs = await Promise.all(ids.map((id) => ctx.store.orgs.getOrg(id)));
  return orgs.filter((o): o is OrgRecord => o !== null);
}

/** The allow-list as stored: each entry checked, canonical, without repeats; a 400 on `allowed_ips` otherwise. */
export function normaliseAllowedIps(list: readonly string[]): string[] {
  if (list.length > MAX_ALLOWED_IPS) throw problems.field('allowed_ips', `At most ${MAX_ALLOWED_IPS} addresses or ranges.`);
  const out = new Set<string>();
  for (const raw of list) {
    const entry = raw.trim();
    let parsed;
    try {
      parsed = parseRange(entry);
    } catch {
      throw problems.field('allowed_ips', `"${raw.slice(0, 64)}" is not an IP address or CIDR range (such as 203.0.113.0/24 or 2001:db8::/32).`);
    }
    const [address, bits] = parsed;
    out.add(entry.includes('/') ? `${address.toString()}/${bits}` : address.toString());
  }
  return [...out];
}

/** `not_before` as stored: an ISO time before the expiry; a 400 on `not_before` otherwise. */
export function resolveNotBefore(value: string | null | undefined, expiresAt: string | null): string | null {
  if (value === undefined || value === null) return null;
  const time = ISO_TIME.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw problems.field('not_before', 'not_before must be an ISO 8601 time, e.g. 2027-01-31T00:00:00Z.');
  if (expiresAt !== null && time >= Date.parse(expiresAt)) throw problems.field('not_before', 'not_before must be before expires_at.');
  return new Date(time).toISOString();
}

/**
 * The organisations' lifetime caps at creation and regeneration: the lifetime from `from` to
 * `expiresAt` (no expiry: endless) within the smallest cap; a 400 on `expires_at` otherwise.
 */
export function checkOrgLifetime(orgs: readonly OrgRecord[], expiresAt: string | null, from: number): void {
  const caps = orgs.map((o) => o.max_token_lifetime_days).filter((d): d is number => d !== null);
  if (caps.length === 0) return;
  const cap = Math.min(...caps);
  const lifetime = expiresAt === null ? Infinity : Date.parse(expiresAt) - from;
  if (lifetime > cap * DAY_MS + 60_000) {
    throw problems.field('expires_at', `Tokens of this organization live at most ${cap} days: choose an expiry within that.`);
  }
}

/**
 * Whether a new token waits for approval: the server's `token_approval` ("all", or "non_admins"
 * for creators who are not System Admins), or an organisation governing it that requires it.
 * Returns the approval request to store, or null.
 */
export async function approvalFor(
  ctx: AppContext,
  creator: Principal,
  orgs: readonly OrgRecord[],
  justification: string | undefined,
): Promise<{ justification: string; requested_at: string } | null> {
  const mode = (await ctx.store.getSettings()).token_approval;
  const byServer = mode === 'all' || (mode === 'non_admins' && !creator.user.roles.includes(ROLE_SYSTEM_ADMIN));
  const byOrg = orgs.some((o) => o.require_token_approval);
  if (!byServer && !byOrg) return null;
  return { justification: justification?.trim() ?? '', requested_at: new Date(ctx.now()).toISOString() };
}

/**
 * Whether a change lifts a restriction on where or when a token works, which needs the password as
 * more scopes do (docs/security.md rule 37): an allow-list emptied, or given an entry outside every
 * old range; a not-before moved earlier or removed. Narrowing either is free.
 */
export function policyWidened(
  old: { allowed_ips: readonly string[]; not_before: string | null },
  next: { allowed_ips?: readonly string[]; not_before?: string | null },
): boolean {
  return (next.allowed_ips !== undefined && allowListWidened(old.allowed_ips, next.allowed_ips)) ||
    (next.not_before !== undefined && old.not_before !== null && (next.not_before === null || Date.parse(next.not_before) < Date.parse(old.not_before)));
}

function allowListWidened(old: readonly string[], next: readonly string[]): boolean {
  if (old.length === 0) return false;
  return next.length === 0 || next.some((entry) => !old.some((outer) => rangeInside(entry, outer)));
}
