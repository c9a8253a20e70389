/**
 * Token requests in the background: how many wait for this user's approval on each signed-in
 * server (the badge's second number, kept in storage.local so a restarted service worker can
 * paint the badge without a round trip), and the requester's notification when a request of
 * theirs was decided. Metadata only: counts and token names, never a secret.
 */
import { ProviderError } from '../../lib/errors.ts';
import type { TokenMeta } from '../../lib/model.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import { decidedSince, decisionNotification } from './approvals.ts';
import type { BackgroundContext } from './context.ts';

export const REQUEST_COUNTS_KEY = 'patkit:request-counts';
/** A decision notification's id: this prefix and the token's id (a click opens the popup). */
export const REQUEST_NOTIFICATION_PREFIX = 'patkit-request-';

/** Errors that mean "this user decides no requests here" rather than "something broke". */
const NOT_AN_APPROVER = new Set(['forbidden', 'unsupported_operation', 'not_found']);

/**
 * Every pending request the signed-in user may decide (bounded paging, so a hostile server cannot
 * loop us); `null` when the provider has no approvals or the user is no approver.
 */
export async function pendingRequests(provider: TokenProvider): Promise<TokenMeta[] | null> {
  if (!provider.listTokenRequests) return null;
  const items: TokenMeta[] = [];
  let cursor: string | undefined;
  try {
    for (let page = 0; page < 20; page += 1) {
      const result = await provider.listTokenRequests({ state: 'pending', ...(cursor ? { cursor } : {}) });
      items.push(...result.items);
      if (!result.next_cursor) break;
      cursor = result.next_cursor;
    }
  } catch (error) {
    if (error instanceof ProviderError && NOT_AN_APPROVER.has(error.code)) return null;
    throw error;
  }
  return items;
}

export async function readRequestCounts(bg: BackgroundContext): Promise<Record<string, number>> {
  const stored = (await bg.browser.storage.local.get(REQUEST_COUNTS_KEY))[REQUEST_COUNTS_KEY];
  return stored && typeof stored === 'object' ? (stored as Record<string, number>) : {};
}

export async function setRequestCount(bg: BackgroundContext, serverId: string, count: number): Promise<void> {
  const counts = await readRequestCounts(bg);
  if (count > 0) counts[serverId] = count;
  else delete counts[serverId];
  await bg.browser.storage.local.set({ [REQUEST_COUNTS_KEY]: counts });
}

/** Asks the server how many requests wait for this user and stores the count (the caller repaints the badge). */
export async function refreshRequestCount(bg: BackgroundContext, serverId: string): Promise<number> {
  const pending = await bg.call(serverId, (p) => pendingRequests(p));
  const count = pending?.length ?? 0;
  await setRequestCount(bg, serverId, count);
  return count;
}

/** Tells the requester about each of their requests decided between two listings of their own tokens. */
export async function notifyDecided(bg: BackgroundContext, serverName: string, before: TokenMeta[], after: TokenMeta[]): Promise<void> {
  if (!bg.browser.notifications) return;
  for (const token of decidedSince(before, after)) {
    const { title, message } = decisionNotification(token, serverName, (key, subs, text) => bg.message(key, subs, text));
    await bg.browser.notifications.create(`${REQUEST_NOTIFICATION_PREFIX}${token.id}`, {
      type: 'basic',
      iconUrl: bg.browser.runtime.getURL('/icon/128.png'),
      title,
      message,
    });
  }
}
