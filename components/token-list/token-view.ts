/**
 * What the token list shows, computed from its tokens: the filters (text, owner, status, unused),
 * the sort, the owners offered in the admin view's user filter, and the grid's columns.
 */
import type { TokenMeta, TokenSortKey } from '../../lib/model.ts';
import type { ProviderCapabilities } from '../../lib/provider.ts';
import { displayStatus, type DisplayStatus } from '../shared/format.ts';
import type { PatStrings } from '../shared/strings.ts';

export type StatusFilter = '' | DisplayStatus;

const DAY = 86_400_000;
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export interface ViewQuery {
  text: string;
  /** An owner id (admin view), or empty. */
  user: string;
  status: StatusFilter;
  /** Filter "unused for N days" here (0 = off, or the server already did). */
  unusedDays: number;
  sortKey: TokenSortKey;
  sortOrder: 'asc' | 'desc';
  now: number;
  expiringSoonDays: number;
}

function matches(query: ViewQuery): (t: TokenMeta) => boolean {
  const text = query.text.trim().toLowerCase();
  const { user, status, now, expiringSoonDays: soon } = query;
  // The server's rule, where the server does not filter: active, and last used (or created) before the cutoff.
  const unusedBefore = query.unusedDays ? new Date(now - query.unusedDays * DAY).toISOString() : '';
  return (t) =>
    (!user || t.owner.id === user) &&
    (!unusedBefore || (t.status === 'active' && (t.last_used_at ?? t.created_at ?? '') < unusedBefore)) &&
    (!status || displayStatus(t, now, soon) === status) &&
    (!text ||
      t.name.toLowerCase().includes(text) ||
      t.description.toLowerCase().includes(text) ||
      t.id.toLowerCase().includes(text) ||
      t.owner.username.toLowerCase().includes(text));
}

function comparator(key: TokenSortKey, order: 'asc' | 'desc'): (a: TokenMeta, b: TokenMeta) => number {
  const dir = order === 'asc' ? 1 : -1;
  if (key === 'name') return (a, b) => dir * collator.compare(a.name || a.description, b.name || b.description);
  return (a, b) => {
    // ISO times compare as strings; absent values sort last in both directions.
    const x = a[key];
    const y = b[key];
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -dir : dir;
  };
}

/** The tokens after filters and sort (the same array when nothing filters and it is already in order). */
export function viewOf(tokens: TokenMeta[], query: ViewQuery): TokenMeta[] {
  const rows = query.text.trim() || query.user || query.status || query.unusedDays ? tokens.filter(matches(query)) : tokens;
  const compare = comparator(query.sortKey, query.sortOrder);
  // Servers usually answer already in this order (newest first): one linear check saves the sort.
  let ordered = true;
  for (let i = 1; i < rows.length && ordered; i += 1) ordered = compare(rows[i - 1]!, rows[i]!) <= 0;
  return ordered ? rows : rows.slice().sort(compare);
}

/** The owners of `tokens`, by username, for the admin view's user filter. */
export function ownersOf(tokens: readonly TokenMeta[]): Array<{ id: string; username: string }> {
  const owners = new Map<string, string>();
  for (const t of tokens) owners.set(t.owner.id, t.owner.username);
  return [...owners].map(([id, username]) => ({ id, username })).sort((a, b) => collator.compare(a.username, b.username));
}

/** `grid-template-columns` for the columns the server's capabilities leave. */
export function gridColumns(caps: ProviderCapabilities, adminView: boolean): string {
  // Minimums that fit all eight admin columns into a 52rem box with whole dates in English and
  // German ("28. Nov. 2026"); longer words ellipsize, extra width goes mostly to the name.
  const cols = ['2rem', 'minmax(8rem, 2fr)'];
  if (adminView) cols.push('minmax(4.5rem, 0.8fr)');
  cols.push('minmax(6.5rem, 1fr)');
  if (caps.expiry.mode !== 'none') cols.push('minmax(6.5rem, 1fr)');
  if (caps.lastUsed) cols.push('minmax(6.5rem, 1fr)');
  // Status gets a wide share: a rotating token's grace note ("Old value works until …") lives there.
  cols.push('minmax(6rem, 2fr)');
  if (caps.scopes !== 'none') cols.push('minmax(4.5rem, 1fr)');
  cols.push('2.5rem');
  return cols.join(' ');
}

/** A click on a column header: the same column flips the order; another sorts names A→Z, dates newest first. */
export function nextSort(key: TokenSortKey, order: 'asc' | 'desc', clicked: TokenSortKey): { sortKey: TokenSortKey; sortOrder: 'asc' | 'desc' } {
  if (key === clicked) return { sortKey: key, sortOrder: order === 'asc' ? 'desc' : 'asc' };
  return { sortKey: clicked, sortOrder: clicked === 'name' ? 'asc' : 'desc' };
}

/**
 * The Access column's words for a token's rights. An organisation or group token holds permission
 * ids of its level (`group:<id>:admin`, `group:<id>:user`): shown once, by the level's name and
 * role ("Platform team: group admin"), never as raw ids. Other scopes are shown as they are.
 */
export function accessLabels(token: TokenMeta, scoped: PatStrings['accessScoped']): string[] {
  const kind = token.owner.kind;
  if (kind === 'user') return token.scopes;
  const own = new RegExp(`^${kind === 'group' ? 'group' : 'org'}:[^:]+:(admin|user)$`);
  const roles = new Set(token.scopes.map((scope) => own.exec(scope)?.[1]));
  const others = token.scopes.filter((scope) => !own.test(scope));
  const name = token.owner.scope_name ?? token.owner.display_name;
  const role = roles.has('admin') ? 'admin' : roles.has('user') ? 'user' : null;
  return role ? [scoped(name, kind, role), ...others] : others;
}
