/**
 * The background's door: which senders it answers, what the role panel may send, and how a
 * malformed message is refused (nothing changes). Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { EXT, FRAME_SCRIPT, OPTIONS, PANEL, POPUP, SECRET_RE, addSignedInServer, ask, bg, dump, granted, ok, resetBackground, server } from './harness.ts';

beforeEach(resetBackground);

describe('senders', () => {
  test('a content script (a web page URL) is refused and nothing changes', async () => {
    const before = await dump();
    const answer = await ask('servers.list', {}, { id: 'test-extension-id', url: 'https://evil.example/', tab: { id: 1 } });
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'forbidden');
    assert.equal(await dump(), before);
  });

  test('another extension is refused even with an extension-page URL', async () => {
    const answer = await ask('servers.list', {}, { id: 'other-extension', url: 'chrome-extension://other-extension/popup.html' });
    assert.equal(answer.error.code, 'forbidden');
    const spoof = await ask('servers.list', {}, { id: 'other-extension', url: `${EXT}/popup.html` });
    assert.equal(spoof.error.code, 'forbidden');
  });

  test('a sender without a URL is refused', async () => {
    assert.equal((await ask('servers.list', {}, { id: 'test-extension-id' })).error.code, 'forbidden');
  });

  test('the console panel page cannot create, reveal or sign in', async () => {
    const serverId = await addSignedInServer();
    for (const [type, payload] of [
      ['tokens.create', { serverId, draft: { name: 'x' } }],
      ['tokens.regenerate', { serverId, tokenId: 'tok_1' }],
      ['pending.get', {}],
      ['auth.signIn', { serverId, kind: 'token', token: 'x', keepSignedIn: false }],
      ['servers.list', {}],
    ] as const) {
      const answer = await ask(type, payload, PANEL);
      assert.equal(answer.ok, false, type);
      assert.equal(answer.error.code, 'forbidden', type);
    }
    assert.deepEqual(server.calls.filter((c) => c === 'createToken' || c === 'regenerateToken'), []);
  });

  test('the panel may only reach servers mapped to a panel', async () => {
    const serverId = await addSignedInServer();
    assert.equal((await ask('roles.list', { serverId }, PANEL)).error.code, 'forbidden');
    granted.add('http://127.0.0.1/*');
    await ok('panels.save', { pattern: 'http://127.0.0.1:9000/*', serverId, inventory: false }, OPTIONS);
    assert.equal((await ask('roles.list', { serverId }, PANEL)).error.code, 'forbidden', 'not before the frame is confirmed');
    const { ticket } = await ok('panels.ticket', {}, FRAME_SCRIPT);
    const ctx = await ok('panels.context', { ticket, depth: 1, ancestors: ['http://127.0.0.1:9000'] }, PANEL);
    assert.equal(ctx.server.id, serverId);
    assert.ok(!SECRET_RE.test(JSON.stringify(ctx)), 'no credential in the panel context');
    assert.deepEqual(await ok('roles.list', { serverId }, PANEL), []);
    // Another server, even one that is signed in, is not this panel's.
    const other = await ok('servers.save', { name: 'Other', kind: 'patkit', baseUrl: 'http://127.0.0.1:8788' }, OPTIONS);
    assert.equal((await ask('roles.list', { serverId: other.id }, PANEL)).error.code, 'forbidden');
    const elsewhere = await ask('panels.ticket', {}, { ...FRAME_SCRIPT, url: 'https://other.example/' });
    assert.equal(elsewhere.error.code, 'forbidden');
  });

  test('a content script may ask for a panel ticket and nothing else; pages may not ask for one', async () => {
    const serverId = await addSignedInServer();
    await ok('panels.save', { pattern: 'http://127.0.0.1:9000/*', serverId, inventory: false }, OPTIONS);
    for (const type of ['panels.context', 'roles.list', 'servers.list', 'pending.get']) {
      assert.equal((await ask(type, { serverId, depth: 1 }, FRAME_SCRIPT)).error.code, 'forbidden', type);
    }
    for (const sender of [POPUP, OPTIONS, PANEL]) assert.equal((await ask('panels.ticket', {}, sender)).error.code, 'forbidden', sender.url);
    assert.equal((await ask('panels.ticket', {}, { ...FRAME_SCRIPT, id: 'other-extension' })).error.code, 'forbidden');
  });
});

describe('validation', () => {
  test('garbage, unknown types and unknown fields get validation_failed and change nothing', async () => {
    const serverId = await addSignedInServer();
    const before = await dump();
    server.calls.length = 0; // sign-in's own first refresh
    const cases: unknown[] = [
      null,
      'servers.list',
      { patkit: 2, type: 'servers.list', payload: {} },
      { patkit: 1, type: 'servers.drop', payload: {} },
      { patkit: 1, type: '__proto__', payload: {} },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: '' } } },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: 'x', scopes: 'tokens:read' } } },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: 'x', expires_at: 'tomorrow' } } },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: 'x' }, secret: 'pat_x' } },
      { patkit: 1, type: 'tokens.delete', payload: { serverId, tokenId: ['tok_1'] } },
      { patkit: 1, type: 'tokens.delete', payload: { serverId: '../../etc', tokenId: 'tok_1' } },
      { patkit: 1, type: 'alerts.save', payload: { expiryWarningDays: -1 } },
      { patkit: 1, type: 'alerts.save', payload: { expiryWarningDays: 1.5 } },
      { patkit: 1, type: 'servers.save', payload: { name: 'x', kind: 'patkit', baseUrl: 'http://tokens.example.com' } },
      { patkit: 1, type: 'servers.save', payload: { name: 'x', kind: 'patkit', baseUrl: 'javascript:alert(1)' } },
      { patkit: 1, type: 'servers.save', payload: { name: 'x', kind: 'patkit', baseUrl: 'https://u:p@tokens.example.com' } },
      { patkit: 1, type: 'panels.save', payload: { pattern: '<all_urls>', serverId, inventory: false } },
      { patkit: 1, type: 'panels.save', payload: { pattern: 'https://*/*', serverId, inventory: false } },
      { patkit: 1, type: 'auth.signIn', payload: { serverId, kind: 'password', username: 'alice', password: 'x'.repeat(5000), keepSignedIn: false } },
    ];
    for (const message of cases) {
      const answer = await bg.handleMessage(message, POPUP);
      assert.equal(answer.ok, false, JSON.stringify(message).slice(0, 100));
      assert.equal((answer as { error: { code: string } }).error.code, 'validation_failed', JSON.stringify(message).slice(0, 100));
    }
    assert.equal(await dump(), before);
    assert.deepEqual(server.calls, []);
  });

  test('an error names the field so a page can show it', async () => {
    const answer = await ask('servers.save', { name: 'x', kind: 'patkit', baseUrl: 'http://tokens.example.com' }, OPTIONS);
    assert.match(answer.error.message, /baseUrl: must use https/);
    assert.equal(answer.error.fieldErrors[0].field, 'baseUrl');
  });
});

describe('the runtime.onMessage listener', () => {
  // Chrome without webextension-polyfill ignores a promise a listener returns (the sender gets
  // nothing): the listener must return `true` and answer through `sendResponse`.
  test('returns true and answers through sendResponse, for a good and a refused message', async () => {
    const answers: Array<{ ok: boolean; value?: any; error?: any }> = [];
    const answered = new Promise<void>((resolve) => {
      const sendResponse = (answer: any): void => {
        answers.push(answer);
        if (answers.length === 2) resolve();
      };
      assert.equal(bg.onMessage({ patkit: 1, type: 'servers.list', payload: {} }, POPUP, sendResponse), true);
      assert.equal(bg.onMessage({ patkit: 1, type: 'servers.list', payload: {} }, { id: 'test-extension-id', url: 'https://evil.example/' }, sendResponse), true);
    });
    await answered;
    assert.deepEqual(answers.map((a) => a.ok).sort(), [false, true]);
    assert.ok(Array.isArray(answers.find((a) => a.ok)!.value));
    assert.equal(answers.find((a) => !a.ok)!.error.code, 'forbidden');
  });
});
