/**
 * The background's work, free of any global: it gets the browser APIs, the provider registry and
 * the metadata cache as arguments, so unit tests drive it with WXT's fake browser and a fake
 * provider. `index.ts` wires it to the real `browser`.
 *
 * Messages go through {@link MessageDispatcher} to one module per message family (`handlers/`);
 * this class adds the lifecycle: start-up, alarms, the notification's click.
 */
import type { Answer, PanelMapping } from '../../extension/messaging/protocol.ts';
import { updateBadge } from './badge.ts';
import type { BackgroundOptions, MessageSenderLike } from './browser-apis.ts';
import { BackgroundContext } from './context.ts';
import { MessageDispatcher } from './dispatcher.ts';
import { onNotificationClicked, REFRESH_ALARM, refreshAll, scheduleRefresh } from './handlers/alerts.ts';
import { syncPanelScripts } from './handlers/panels.ts';
import { PENDING_ALARM } from './vault.ts';

export class BackgroundService {
  private readonly bg: BackgroundContext;
  private readonly dispatcher: MessageDispatcher;

  constructor(options: BackgroundOptions) {
    this.bg = new BackgroundContext(options);
    this.dispatcher = new MessageDispatcher(this.bg);
  }

  handleMessage(message: unknown, sender: MessageSenderLike): Promise<Answer<unknown>> {
    return this.dispatcher.handle(message, sender);
  }

  /**
   * The `runtime.onMessage` listener: answers through `sendResponse` and returns `true` to keep the
   * channel open, the form Chrome and Firefox both take natively (a returned promise is only
   * understood by Firefox and recent Chrome, and the extension ships no webextension-polyfill).
   * The dispatcher never rejects: every failure is an `{ ok: false }` answer.
   */
  onMessage(message: unknown, sender: MessageSenderLike, sendResponse: (answer: Answer<unknown>) => void): true {
    void this.dispatcher.handle(message, sender).then(sendResponse);
    return true;
  }

  /** On install / startup: migrate settings, seal plain kept credentials, schedule the refresh alarm, re-register panels. */
  async start(): Promise<void> {
    const settings = await this.bg.settings();
    await this.bg.vault.sealLegacyCredentials().catch((e) => console.warn('patkit: could not seal kept credentials', e));
    await scheduleRefresh(this.bg, settings.alerts);
    await syncPanelScripts(this.bg, settings.panels).catch((e) => console.warn('patkit: could not register console panels', e));
    await updateBadge(this.bg, settings).catch(() => {});
  }

  async onAlarm(name: string): Promise<void> {
    if (name === REFRESH_ALARM) await refreshAll(this.bg);
    if (name === PENDING_ALARM) await this.bg.vault.getPending(); // wipes it when timed out
  }

  onNotificationClicked(notificationId: string): Promise<void> {
    return onNotificationClicked(this.bg, notificationId);
  }

  syncPanelScripts(panels: PanelMapping[]): Promise<void> {
    return syncPanelScripts(this.bg, panels);
  }
}
