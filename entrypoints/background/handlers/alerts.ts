/**
 * Expiry alerts: their settings, the periodic refresh of every signed-in server, the badge after
 * it, and a once-a-day notification naming the tokens that expire soon.
 */
import type { AlertSettings } from '../../../extension/messaging/protocol.ts';
import type { Settings } from '../../../extension/settings.ts';
import { expiringEntries, updateBadge } from '../badge.ts';
import type { BackgroundContext } from '../context.ts';
import { dayKey, notificationMessage } from '../expiry.ts';
import { REQUEST_NOTIFICATION_PREFIX, refreshRequestCount } from '../requests.ts';
import { listTokens } from '../token-listing.ts';
import type { Handlers } from './handler.ts';

export const REFRESH_ALARM = 'patkit:refresh';
export const NOTIFICATION_ID = 'patkit-expiring';
const ALERT_STATE_KEY = 'patkit:alert-state';

export type AlertMessage = 'alerts.get' | 'alerts.save' | 'alerts.refresh';

export async function scheduleRefresh(bg: BackgroundContext, alerts: AlertSettings): Promise<void> {
  await bg.browser.alarms.clear(REFRESH_ALARM);
  await bg.browser.alarms.create(REFRESH_ALARM, { periodInMinutes: alerts.refreshMinutes, delayInMinutes: 1 });
}

/** What the alarm does: refresh every signed-in server (tokens and requests awaiting approval), then badge and (daily) notification. */
export async function refreshAll(bg: BackgroundContext): Promise<{ expiring: number }> {
  const settings = await bg.settings();
  for (const server of settings.servers) {
    if ((await bg.vault.getCredential(server.id)) === null) continue;
    await listTokens(bg, server.id, undefined).catch((e) => console.warn(`patkit: refresh of ${server.name} failed`, e));
    await refreshRequestCount(bg, server.id).catch((e) => console.warn(`patkit: token requests of ${server.name} not counted`, e));
  }
  const expiring = await updateBadge(bg, settings);
  await maybeNotify(bg, settings).catch((e) => console.warn('patkit: notification failed', e));
  return { expiring };
}

async function maybeNotify(bg: BackgroundContext, settings: Settings): Promise<void> {
  if (!settings.alerts.notify || !bg.browser.notifications) return;
  const entries = await expiringEntries(bg, settings);
  if (entries.length === 0) return;
  const today = dayKey(bg.now());
  const state = (await bg.browser.storage.local.get(ALERT_STATE_KEY))[ALERT_STATE_KEY] as { lastNotifiedDay?: string } | undefined;
  if (state?.lastNotifiedDay === today) return;
  await bg.browser.storage.local.set({ [ALERT_STATE_KEY]: { lastNotifiedDay: today } });
  await bg.browser.notifications.create(NOTIFICATION_ID, {
    type: 'basic',
    iconUrl: bg.browser.runtime.getURL('/icon/128.png'),
    title:
      entries.length === 1
        ? bg.message('notifyTitleOne', [], '1 token expires soon')
        : bg.message('notifyTitleMany', [String(entries.length)], `${entries.length} tokens expire soon`),
    message: notificationMessage(entries, bg.now(), (key, subs, text) => bg.message(key, subs, text)),
  });
}

/**
 * A click on the expiry notification or on a request's decision: the popup, where the expiring
 * tokens are (their rows say "Expiring soon") and the decided token shows its state; a tab with
 * the popup page where the browser will not open the popup itself.
 */
export async function onNotificationClicked(bg: BackgroundContext, notificationId: string): Promise<void> {
  if (notificationId !== NOTIFICATION_ID && !notificationId.startsWith(REQUEST_NOTIFICATION_PREFIX)) return;
  try {
    if (!bg.browser.action.openPopup) throw new Error('no action.openPopup');
    await bg.browser.action.openPopup();
  } catch {
    await bg.browser.tabs?.create({ url: bg.browser.runtime.getURL('/popup.html') });
  }
}

export function alertHandlers(bg: BackgroundContext): Handlers<AlertMessage> {
  return {
    'alerts.get': async () => (await bg.settings()).alerts,
    'alerts.save': async (req) => {
      const settings = await bg.updateSettings((s) => {
        s.alerts = { ...s.alerts, ...req };
      });
      await scheduleRefresh(bg, settings.alerts);
      await updateBadge(bg, settings).catch(() => {});
      return settings.alerts;
    },
    'alerts.refresh': () => refreshAll(bg),
  };
}
