/**
 * The toolbar badge: how many tokens of signed-in servers expire within the configured days plus,
 * for approvers, how many token requests wait for their decision; a tooltip says what the number
 * counts. Recomputed from the metadata cache and the stored request counts after every change.
 */
import type { TokenMeta } from '../../lib/model.ts';
import type { Settings } from '../../extension/settings.ts';
import type { BackgroundContext } from './context.ts';
import { actionTitle } from './approvals.ts';
import { badgeText, expiringSoon } from './expiry.ts';
import { readRequestCounts } from './requests.ts';

export interface ExpiringEntry {
  /** The server's name, for the notification's lines. */
  server: string;
  token: TokenMeta;
}

export async function expiringEntries(bg: BackgroundContext, settings: Settings): Promise<ExpiringEntry[]> {
  const entries: ExpiringEntry[] = [];
  for (const server of settings.servers) {
    // A signed-out server (e.g. after a restart without "Keep me signed in") counts for nothing:
    // its list cannot be refreshed or acted on until the user signs in again.
    if ((await bg.vault.getCredential(server.id)) === null) continue;
    const cached = await bg.cache.read(server.id);
    for (const token of expiringSoon(cached?.items ?? [], settings.alerts.expiryWarningDays, bg.now())) {
      entries.push({ server: server.name, token });
    }
  }
  return entries;
}

/** Requests waiting for this user's decision on the signed-in servers. */
async function pendingRequestCount(bg: BackgroundContext, settings: Settings): Promise<number> {
  const counts = await readRequestCounts(bg);
  let total = 0;
  for (const server of settings.servers) {
    if ((await bg.vault.getCredential(server.id)) === null) continue;
    total += counts[server.id] ?? 0;
  }
  return total;
}

/** Sets badge and tooltip; answers the number of expiring tokens. */
export async function updateBadge(bg: BackgroundContext, given?: Settings): Promise<number> {
  const settings = given ?? (await bg.settings());
  const count = (await expiringEntries(bg, settings)).length;
  const pending = await pendingRequestCount(bg, settings);
  // Amber while a token runs out; blue when only requests wait (nothing is about to break).
  await bg.browser.action.setBadgeBackgroundColor({ color: count === 0 && pending > 0 ? '#1d4ed8' : '#b45309' });
  await bg.browser.action.setBadgeText({ text: badgeText(count + pending) });
  const title = actionTitle(count, settings.alerts.expiryWarningDays, pending, (key, subs, text) => bg.message(key, subs, text));
  await bg.browser.action.setTitle?.({ title });
  return count;
}
