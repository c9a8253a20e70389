import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createProvider, providerKinds } from '../../lib/providers/registry.ts';
import { openMetadataCache } from './metadata-cache.ts';
import { BackgroundService, type BrowserApis, type MessageSenderLike } from './service.ts';

export default defineBackground(() => {
  const service = new BackgroundService({
    browser: browser as unknown as BrowserApis,
    providers: { descriptors: providerKinds, create: createProvider },
    cache: openMetadataCache(),
  });

  // storage.session is for trusted contexts only by default; say so explicitly (Chrome), so a
  // content script can never read a credential or a pending secret even if a default changes.
  const session = browser.storage.session as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
  void session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => undefined);

  // Listeners are added synchronously at start-up, so an event that wakes the worker is not lost.
  browser.runtime.onMessage.addListener((message: unknown, sender: MessageSenderLike) => service.handleMessage(message, sender));
  browser.runtime.onInstalled.addListener(() => void service.start());
  browser.runtime.onStartup.addListener(() => void service.start());
  browser.alarms.onAlarm.addListener((alarm: { name: string }) => void service.onAlarm(alarm.name));
  browser.permissions.onRemoved.addListener(() => void service.start());
  browser.notifications.onClicked.addListener((id: string) => void service.onNotificationClicked(id));
});
