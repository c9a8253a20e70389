/**
 * The background's decision about role-panel frames (docs/security.md rule 30): a panel acts only
 * when the mapped console's own frame script framed it directly — proved by a one-time ticket the
 * background gave that script in the console's top frame — and, where the browser lists them, every
 * ancestor origin is the mapped console. Senders are what the browser would report (Chromium's
 * shape; Firefox's has no `documentId` and the panel sends no `ancestors`).
 * Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { MAX_OPEN_TICKETS, TICKET_TTL_MS } from '../../../entrypoints/background/panel-frames.ts';
import { FRAME_SCRIPT, OPTIONS, PANEL, addSignedInServer, advanceClock, ask, ok, resetBackground, restartService } from './harness.ts';

beforeEach(resetBackground);

const CONSOLE = 'http://127.0.0.1:9000';
const THIRD_PARTY = 'https://ads.example';

async function mappedServer(): Promise<string> {
  const serverId = await addSignedInServer();
  await ok('panels.save', { pattern: `${CONSOLE}/*`, serverId, inventory: false }, OPTIONS);
  return serverId;
}

async function ticket(): Promise<string> {
  return (await ok('panels.ticket', {}, FRAME_SCRIPT)).ticket;
}

describe('role panel frames', () => {
  test('a panel framed directly by the mapped console is confirmed, and only that frame may act', async () => {
    const serverId = await mappedServer();
    const ctx = await ok('panels.context', { ticket: await ticket(), depth: 1, ancestors: [CONSOLE] }, PANEL);
    assert.equal(ctx.server.id, serverId);
    assert.deepEqual(await ok('roles.list', { serverId }, PANEL), []);
    // Another frame of the tab, another tab, another document in the same frame: not confirmed.
    for (const sender of [{ ...PANEL, frameId: 4 }, { ...PANEL, tab: { id: 8 } }, { ...PANEL, documentId: 'doc-panel-2' }, { ...PANEL, tab: undefined }]) {
      assert.equal((await ask('roles.list', { serverId }, sender)).error.code, 'forbidden', JSON.stringify(sender));
    }
    // A service-worker restart keeps the confirmation (storage.session).
    restartService();
    assert.deepEqual(await ok('roles.list', { serverId }, PANEL), []);
  });

  test('a panel nested under a third-party frame inside the mapped console is refused, even with a ticket', async () => {
    const serverId = await mappedServer();
    const nested = [
      // Chromium: the panel lists every ancestor, nearest first; the top one is the console.
      { depth: 2, ancestors: [THIRD_PARTY, CONSOLE] },
      // The same, claiming to be framed directly: the list still names the third party.
      { depth: 1, ancestors: [THIRD_PARTY] },
      // A console on another port is another origin.
      { depth: 1, ancestors: ['http://127.0.0.1:9001'] },
      // Firefox: no ancestor list, only the depth.
      { depth: 2 },
    ];
    for (const claim of nested) {
      const answer = await ask('panels.context', { ticket: await ticket(), ...claim }, PANEL);
      assert.equal(answer.error?.code, 'forbidden', JSON.stringify(claim));
    }
    assert.equal((await ask('roles.list', { serverId }, PANEL)).error.code, 'forbidden');
    assert.equal((await ask('users.setRoles', { serverId, userId: 'usr_1', roles: ['admin'] }, PANEL)).error.code, 'forbidden');
  });

  test('without a valid ticket the panel is refused: none, made up, used, expired, or from another tab', async () => {
    await mappedServer();
    const refused = async (claim: object, sender: object = PANEL): Promise<void> => {
      const answer = await ask('panels.context', { depth: 1, ancestors: [CONSOLE], ...claim }, sender);
      assert.equal(answer.error?.code, 'forbidden', JSON.stringify(claim));
    };
    await refused({});
    await refused({ ticket: 'A'.repeat(43) });
    const used = await ticket();
    await ok('panels.context', { ticket: used, depth: 1, ancestors: [CONSOLE] }, PANEL);
    await refused({ ticket: used }, { ...PANEL, frameId: 9, documentId: 'doc-9' });
    const old = await ticket();
    advanceClock(TICKET_TTL_MS + 1);
    await refused({ ticket: old }, { ...PANEL, frameId: 10, documentId: 'doc-10' });
    await refused({ ticket: await ticket() }, { ...PANEL, tab: { id: 8 } });
  });

  test('unused tickets are capped, the oldest dropped first', async () => {
    await mappedServer();
    const issued: string[] = [];
    for (let i = 0; i < MAX_OPEN_TICKETS + 5; i += 1) issued.push(await ticket());
    const claim = { depth: 1, ancestors: [CONSOLE] };
    assert.equal((await ask('panels.context', { ticket: issued[0], ...claim }, PANEL)).error.code, 'forbidden');
    await ok('panels.context', { ticket: issued.at(-1), ...claim }, { ...PANEL, frameId: 5, documentId: 'doc-5' });
  });

  test('a refused claim uses its ticket up', async () => {
    await mappedServer();
    const one = await ticket();
    assert.equal((await ask('panels.context', { ticket: one, depth: 2, ancestors: [THIRD_PARTY, CONSOLE] }, PANEL)).error.code, 'forbidden');
    assert.equal((await ask('panels.context', { ticket: one, depth: 1, ancestors: [CONSOLE] }, PANEL)).error.code, 'forbidden');
  });

  test('only the top frame of a mapped console gets a ticket', async () => {
    await mappedServer();
    for (const sender of [
      { ...FRAME_SCRIPT, frameId: 2 }, // a nested frame, even on the console's origin
      { ...FRAME_SCRIPT, url: `${THIRD_PARTY}/` },
      { ...FRAME_SCRIPT, url: 'http://127.0.0.1:9001/admin' },
      { ...FRAME_SCRIPT, tab: undefined },
    ]) {
      assert.equal((await ask('panels.ticket', {}, sender)).error.code, 'forbidden', JSON.stringify(sender));
    }
  });

  test('a confirmed frame may ask for its context again; a mapping removed stops it', async () => {
    const serverId = await mappedServer();
    await ok('panels.context', { ticket: await ticket(), depth: 1, ancestors: [CONSOLE] }, PANEL);
    assert.equal((await ok('panels.context', { depth: 1, ancestors: [CONSOLE] }, PANEL)).server.id, serverId);
    const [mapping] = await ok('panels.list', {}, OPTIONS);
    await ok('panels.remove', { id: mapping.id }, OPTIONS);
    assert.equal((await ask('roles.list', { serverId }, PANEL)).error.code, 'forbidden');
  });
});
