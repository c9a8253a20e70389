/**
 * Settings migrations: saved fixtures of every stored version load as the current one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import { SETTINGS_KEY, SETTINGS_VERSION, migrateSettings, loadSettings } from '../../extension/settings.ts';
import { ok, resetBackground } from '../entrypoints/background/harness.ts';

beforeEach(resetBackground);

describe('settings migrations', () => {
  const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

  test('version 1 (saved fixture) migrates to the current version', async () => {
    const { settings, migrated } = migrateSettings(fixture('settings-v1.json'));
    assert.equal(migrated, true);
    assert.equal(settings.version, SETTINGS_VERSION);
    assert.deepEqual(settings.servers, [
      { id: 'srv_a1', name: 'Work', kind: 'patkit', baseUrl: 'https://tokens.example.com' },
      { id: 'srv_b2', name: 'http://127.0.0.1:8787', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' },
    ]);
    assert.deepEqual(settings.panels, []);
    assert.deepEqual(settings.alerts, { expiryWarningDays: 14, notify: true, refreshMinutes: 30 });
  });

  test('version 2 (saved fixture) loads unchanged', () => {
    const { settings, migrated } = migrateSettings(fixture('settings-v2.json'));
    assert.equal(migrated, false);
    assert.deepEqual(settings, fixture('settings-v2.json'));
  });

  test('loading writes the migrated settings back, once', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: fixture('settings-v1.json') });
    const loaded = await loadSettings(fakeBrowser.storage.local);
    assert.deepEqual((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY], loaded);
    const [view] = await ok('servers.list', {});
    assert.equal(view.name, 'Work');
  });

  test('nothing stored, garbage, or a newer version give defaults', () => {
    assert.equal(migrateSettings(undefined).settings.servers.length, 0);
    assert.equal(migrateSettings('nonsense').discarded, true);
    assert.equal(migrateSettings([1, 2]).discarded, true);
    assert.equal(migrateSettings({ version: 99, servers: [{}] }).discarded, true);
    assert.equal(migrateSettings({ version: 99, servers: [{}] }).settings.servers.length, 0);
  });
});
