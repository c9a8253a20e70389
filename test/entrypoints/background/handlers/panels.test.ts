/**
 * Console panel mappings: the role-panel frame script is registered only on granted origins.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { PANEL_SCRIPT } from '../../../../entrypoints/background/handlers/panels.ts';
import { OPTIONS, addSignedInServer, ask, bg, granted, ok, registered, resetBackground } from '../harness.ts';

beforeEach(resetBackground);

describe('console panels', () => {
  test('a mapping registers the content script only after its origin is granted', async () => {
    const serverId = await addSignedInServer();
    const denied = await ask('panels.save', { pattern: 'https://console.example.com/admin/*', serverId, inventory: true }, OPTIONS);
    assert.equal(denied.error.code, 'forbidden');
    assert.equal(registered.length, 0);
    granted.add('https://console.example.com/*');
    const panel = await ok('panels.save', { pattern: 'https://console.example.com/admin/*', serverId, inventory: true }, OPTIONS);
    assert.deepEqual(registered, [
      { id: `patkit-panel-${panel.id}`, matches: ['https://console.example.com/admin/*'], js: [PANEL_SCRIPT], runAt: 'document_idle', persistAcrossSessions: true },
    ]);
    granted.clear();
    await bg.syncPanelScripts(await ok('panels.list', {}));
    assert.equal(registered.length, 0, 'a revoked origin unregisters the script');
  });

  test('start() (install, update, browser start) replaces a registration an older build left behind', async () => {
    const serverId = await addSignedInServer();
    granted.add('https://console.example.com/*');
    const panel = await ok('panels.save', { pattern: 'https://console.example.com/admin/*', serverId, inventory: false }, OPTIONS);
    registered.splice(0, registered.length, { id: `patkit-panel-${panel.id}`, matches: ['https://console.example.com/admin/*'], js: ['console-panel.js'] });
    await bg.start();
    assert.deepEqual(registered.map((s) => [s.id, s.js]), [[`patkit-panel-${panel.id}`, [PANEL_SCRIPT]]]);
  });
});
