/**
 * The toolbar badge: how many tokens of signed-in servers expire within the configured days, and a
 * tooltip saying what the number counts. Recomputed from the metadata cache after every change.
 */
import type { TokenMeta } from '../../lib/model.ts';
import type { Settings } from '../../extension/settings.ts';
import type { BackgroundContext } from './context.ts';
import { badgeText, expiringSoon } from './expiry.ts';

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

/** Sets badge and tooltip; answers the count. */
export async function updateBadge(bg: BackgroundContext, given?: Settings): Promise<number> {
  const settings = given ?? (await bg.settings());
  const count = (await expiringEntries(bg, settings)).length;
  await bg.browser.action.setBadgeBackgroundColor({ color: '#b45309' });
  await bg.browser.action.setBadgeText({ text: badgeText(count) });
  const days = String(settings.alerts.expiryWarningDays);
  const title =
    count === 0
      ? bg.message('actionTitle', [], 'patkit — personal access tokens')
      : bg.message('actionTitleExpiring', [String(count), days], `patkit — ${count} token(s) expire within ${days} days`);
  await bg.browser.action.setTitle?.({ title });
  return count;
}
