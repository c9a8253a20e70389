/**
 * Console panel mappings: the role-panel frame script is registered only on granted origins.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { PANEL_SCRIPT } from '../../../../entrypoints/background/handlers/panels.ts';
import { FRAME_SCRIPT, OPTIONS, PANEL, addSignedInServer, ask, bg, granted, ok, registered, resetBackground, restartService, server } from '../harness.ts';

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

  test('the panel context asks the server for the rights, even after a service-worker restart', async () => {
    const serverId = await addSignedInServer();
    granted.add('http://127.0.0.1/*');
    await ok('panels.save', { pattern: 'http://127.0.0.1:9000/*', serverId, inventory: false }, OPTIONS);
    // A provider rebuilt from storage does not know the user's rights until it asks (Mattermost).
    server.rightsAfterRefresh = true;
    restartService();
    // The frame script's ticket proves where the panel is framed (docs/security.md rule 30).
    const { ticket } = await ok('panels.ticket', {}, FRAME_SCRIPT);
    const claim = { ticket, depth: 1, ancestors: ['http://127.0.0.1:9000'] };
    const ctx = await ok('panels.context', claim, PANEL);
    assert.equal(ctx.capabilities.roles, true);
    assert.equal(ctx.capabilities.adminInventory, true);
    assert.ok(server.calls.includes('refreshCapabilities'));
    // Signed out: the last known value, and nothing is sent to the server.
    await ok('auth.signOut', { serverId }, OPTIONS);
    server.calls.length = 0;
    // The same, already confirmed frame asks again.
    const out = await ok('panels.context', { depth: 1, ancestors: ['http://127.0.0.1:9000'] }, PANEL);
    assert.equal(out.server.state, 'signed_out');
    assert.deepEqual(server.calls, []);
  });
});
