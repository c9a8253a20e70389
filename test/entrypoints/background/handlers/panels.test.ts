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
});
