/**
 * A server's own tokens as the popup lists them, and the metadata cache kept in step: a full
 * listing refreshes the cache (and the badge), an offline server answers the cached copy, and a
 * change patches the cache without another round trip; a full listing that finds one of the
 * user's token requests decided notifies them. Metadata only: no secret is ever cached.
 */
import { ProviderError } from '../../lib/errors.ts';
import type { TokenMeta, TokenQuery } from '../../lib/model.ts';
import type { TokenProvider } from '../../lib/provider.ts';
import type { TokenListing } from '../../extension/messaging/protocol.ts';
import { updateBadge } from './badge.ts';
import type { BackgroundContext } from './context.ts';
import { notifyDecided } from './requests.ts';

/** The caller's whole list (what the cache holds), not a filtered page or someone else's tokens. */
function isFullListing(query: TokenQuery | undefined): boolean {
  return !query || (Object.keys(query).every((k) => k === 'owner' || k === 'limit') && (query.owner === undefined || query.owner === 'me'));
}

/** Every page of the caller's own tokens (bounded, so a hostile server cannot loop us). */
async function fetchAll(provider: TokenProvider): Promise<TokenMeta[]> {
  const items: TokenMeta[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result = await provider.listTokens({ owner: 'me', limit: 100, cursor });
    items.push(...result.items);
    cursor = result.next_cursor;
    if (!cursor) break;
  }
  return items;
}

export async function listTokens(bg: BackgroundContext, serverId: string, query: TokenQuery | undefined): Promise<TokenListing> {
  if (!isFullListing(query)) {
    const page = await bg.call(serverId, (p) => p.listTokens(query));
    return { items: page.items, cachedAt: null, offline: false, nextCursor: page.next_cursor };
  }
  try {
    const items = await bg.call(serverId, (p) => fetchAll(p));
    const cachedAt = new Date(bg.now()).toISOString();
    const before = await bg.cache.read(serverId);
    await bg.cache.write(serverId, items, cachedAt);
    // A request of the user's decided since the last listing: tell them (popup open or not).
    if (before) await notifyDecided(bg, (await bg.server(serverId)).name, before.items, items).catch((e) => console.warn('patkit: notification failed', e));
    await updateBadge(bg).catch(() => {});
    return { items, cachedAt, offline: false };
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'offline') {
      const cached = await bg.cache.read(serverId);
      return { items: cached?.items ?? [], cachedAt: cached?.cachedAt ?? null, offline: true };
    }
    throw error;
  }
}

/** Keeps the cache in step after a change, without another round trip. */
export async function patchCache(bg: BackgroundContext, serverId: string, change: (items: TokenMeta[]) => TokenMeta[]): Promise<void> {
  const cached = await bg.cache.read(serverId);
  if (!cached) return;
  await bg.cache.write(serverId, change(cached.items), cached.cachedAt);
  await updateBadge(bg).catch(() => {});
}

/** Puts a changed token in place of its old row (or first, when new). */
export async function replaceInCache(bg: BackgroundContext, serverId: string, token: TokenMeta): Promise<void> {
  await patchCache(bg, serverId, (items) => {
    const at = items.findIndex((t) => t.id === token.id);
    return at === -1 ? [token, ...items] : items.map((t) => (t.id === token.id ? token : t));
  });
}
