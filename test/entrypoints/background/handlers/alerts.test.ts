/**
 * Expiry alerts: the badge and its tooltip, the refresh alarm, the once-a-day notification and
 * its click, the alarm's period from the settings.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import { BackgroundService } from '../../../../entrypoints/background/service.ts';
import { SETTINGS_KEY } from '../../../../extension/settings.ts';
import { OPTIONS, addSignedInServer, advanceClock, bg, cache, clock, ok, makeServiceApis, resetBackground, restartService, server, titles } from '../harness.ts';
import { meta } from '../fake-provider.ts';

beforeEach(resetBackground);

describe('alerts', () => {
  const inDays = (d: number): string => new Date(clock + d * 86_400_000).toISOString();

  test('the badge counts active tokens expiring within the configured days', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [
      meta('tok_soon', { expires_at: inDays(2) }),
      meta('tok_edge', { expires_at: inDays(7) }),
      meta('tok_later', { expires_at: inDays(20) }),
      meta('tok_never'),
      meta('tok_past', { expires_at: inDays(-1), status: 'expired' }),
      meta('tok_off', { expires_at: inDays(1), status: 'disabled' }),
    ];
    await ok('tokens.list', { serverId });
    assert.equal(await fakeBrowser.action.getBadgeText({}), '2');
    await ok('alerts.save', { expiryWarningDays: 30 }, OPTIONS);
    assert.equal(await fakeBrowser.action.getBadgeText({}), '3');
    await ok('alerts.save', { expiryWarningDays: 1 }, OPTIONS);
    assert.equal(await fakeBrowser.action.getBadgeText({}), '');
  });

  test('signing in fills the badge at once, and the toolbar title says what the number counts', async () => {
    server.tokens = [meta('tok_soon', { expires_at: inDays(2) }), meta('tok_later', { expires_at: inDays(20) })];
    await addSignedInServer();
    assert.equal(await fakeBrowser.action.getBadgeText({}), '1', 'no alarm, no popup: the sign-in refreshed');
    assert.equal(titles.at(-1), 'patkit — 1 token(s) expire within 7 days');
  });

  test('a server whose sign-in is gone (restart without "Keep me signed in") no longer counts on the badge', async () => {
    server.tokens = [meta('tok_soon', { expires_at: inDays(2) })];
    await addSignedInServer();
    assert.equal(await fakeBrowser.action.getBadgeText({}), '1');
    await fakeBrowser.storage.session.clear(); // what a browser restart does to storage.session
    restartService();
    await bg.start();
    assert.equal(await fakeBrowser.action.getBadgeText({}), '');
    assert.equal(titles.at(-1), 'patkit — personal access tokens');
  });

  test('the refresh alarm refreshes, and the notification names the tokens once a day', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_soon', { name: 'deploy-bot', expires_at: inDays(2) })];
    await bg.onAlarm('patkit:refresh');
    assert.ok(cache.data.has(serverId));
    const notes = fakeBrowser.notifications.getAllCreateOptions();
    assert.equal(Object.keys(notes).length, 1);
    assert.match(notes['patkit-expiring']!.message, /deploy-bot \(Local\) — in 2 days/);
    // A click on it opens the popup; where the browser refuses, a tab with the popup page.
    const opened: string[] = [];
    const clickService = new BackgroundService({
      browser: { ...makeServiceApis(), action: { ...makeServiceApis().action, openPopup: async () => void opened.push('popup') } },
      providers: server.registry(),
      cache,
    });
    await clickService.onNotificationClicked('patkit-expiring');
    assert.deepEqual(opened, ['popup']);
    const refusing = new BackgroundService({
      browser: {
        ...makeServiceApis(),
        action: { ...makeServiceApis().action, openPopup: async () => Promise.reject(new Error('no user gesture')) },
        tabs: { create: async ({ url }: { url: string }) => void opened.push(url) },
      },
      providers: server.registry(),
      cache,
    });
    await refusing.onNotificationClicked('patkit-expiring');
    assert.match(opened.at(-1)!, /\/popup\.html$/);
    await fakeBrowser.notifications.clear('patkit-expiring');
    await bg.onAlarm('patkit:refresh');
    assert.equal(Object.keys(fakeBrowser.notifications.getAllCreateOptions()).length, 0, 'not twice on one day');
    advanceClock(86_400_000);
    await bg.onAlarm('patkit:refresh');
    assert.equal(Object.keys(fakeBrowser.notifications.getAllCreateOptions()).length, 1, 'again the next day');
  });

  test('start() schedules the refresh alarm with the configured period', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: JSON.parse(readFileSync(new URL('../../../extension/fixtures/settings-v2.json', import.meta.url), 'utf8')) });
    await bg.start();
    const alarm = (await fakeBrowser.alarms.getAll()).find((a) => a.name === 'patkit:refresh');
    assert.equal(alarm?.periodInMinutes, 60);
  });
});
