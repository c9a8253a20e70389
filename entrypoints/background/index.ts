import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createProvider, providerKinds } from '../../lib/providers/registry.ts';
import { GITHUB_API } from '../../lib/github-revoke.ts';
import { openMetadataCache } from '../../extension/metadata-cache.ts';
import { openIdbKeyStore } from '../../extension/credential-seal.ts';

/** e2e build only: where the GitHub stand-in listens (see below). */
const E2E_GITHUB_API_KEY = 'patkit:e2e-github-api';
import type { BrowserApis, MessageSenderLike } from './browser-apis.ts';
import { BackgroundService } from './service.ts';

export default defineBackground(() => {
  const service = new BackgroundService({
    browser: browser as unknown as BrowserApis,
    providers: { descriptors: providerKinds, create: createProvider },
    cache: openMetadataCache(),
    credentialKeys: openIdbKeyStore(),
    // The e2e build only (`wxt build --mode e2e`; the production build has no such code): GitHub's
    // revocation API cannot be reached from the test machines, so a test points it at a loopback
    // stand-in through this storage key.
    ...(import.meta.env.MODE === 'e2e'
      ? {
          githubApi: async () => {
            const value = (await browser.storage.local.get(E2E_GITHUB_API_KEY))[E2E_GITHUB_API_KEY];
            return typeof value === 'string' && /^http:\/\/127\.0\.0\.1:\d+$/.test(value) ? value : GITHUB_API;
          },
        }
      : {}),
  });

  // storage.session is for trusted contexts only by default; say so explicitly (Chrome), so a
  // content script can never read a credential or a pending secret even if a default changes.
  const session = browser.storage.session as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
  void session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => undefined);

  // Listeners are added synchronously at start-up, so an event that wakes the worker is not lost.
  browser.runtime.onMessage.addListener((message: unknown, sender: MessageSenderLike, sendResponse: (answer: unknown) => void) =>
    service.onMessage(message, sender, sendResponse),
  );
  browser.runtime.onInstalled.addListener(() => void service.start());
  browser.runtime.onStartup.addListener(() => void service.start());
  browser.alarms.onAlarm.addListener((alarm: { name: string }) => void service.onAlarm(alarm.name));
  browser.permissions.onRemoved.addListener(() => void service.start());
  browser.notifications.onClicked.addListener((id: string) => void service.onNotificationClicked(id));
});
