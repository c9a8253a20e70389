/**
 * Servers and sessions: saving a server, where the credential is kept, signing in (with a
 * one-time code) and out, removing a server, a refused credential.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import { BackgroundService } from '../../../../entrypoints/background/service.ts';
import { isSealed, memoryKeyStore } from '../../../../extension/credential-seal.ts';
import { OPTIONS, addSignedInServer, ask, cache, granted, makeServiceApis, ok, registered, resetBackground, restartService, server, useService } from '../harness.ts';

beforeEach(resetBackground);

describe('servers and sign-in', () => {
  test('saving a server needs its origin granted first', async () => {
    const denied = await ask('servers.save', { name: 'Work', kind: 'patkit', baseUrl: 'https://tokens.example.com' }, OPTIONS);
    assert.equal(denied.error.code, 'forbidden');
    assert.deepEqual(await ok('servers.list', {}), []);
    granted.add('https://tokens.example.com/*');
    const view = await ok('servers.save', { name: 'Work', kind: 'patkit', baseUrl: 'https://tokens.example.com/' }, OPTIONS);
    assert.equal(view.baseUrl, 'https://tokens.example.com');
    assert.equal(view.state, 'signed_out');
    const unknownKind = await ask('servers.save', { name: 'W', kind: 'gitlab', baseUrl: 'https://tokens.example.com' }, OPTIONS);
    assert.equal(unknownKind.error.code, 'validation_failed');
  });

  test('the credential goes to storage.session, never storage.local', async () => {
    const serverId = await addSignedInServer();
    const local = JSON.stringify(await fakeBrowser.storage.local.get(null));
    const session = JSON.stringify(await fakeBrowser.storage.session.get(null));
    assert.ok(!local.includes(server.credential));
    assert.ok(session.includes(server.credential));
    const [view] = await ok('servers.list', {});
    assert.equal(view.state, 'signed_in');
    assert.equal(view.user.username, 'alice');
    assert.equal(view.keepSignedIn, false);
    assert.ok(!JSON.stringify(view).includes(server.credential), 'pages never see the credential');
    // A service worker restart: a new service instance finds the credential again.
    restartService();
    assert.equal((await ok('tokens.list', { serverId })).offline, false);
  });

  test('"keep me signed in" keeps the credential in storage.local only sealed, and it survives a restart (docs/security.md rule 34)', async () => {
    granted.add('http://127.0.0.1/*');
    const { id } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const view = await ok('auth.signIn', { serverId: id, kind: 'token', token: server.credential, keepSignedIn: true }, OPTIONS);
    assert.equal(view.keepSignedIn, true);
    const local = await fakeBrowser.storage.local.get(null);
    assert.ok(!JSON.stringify(local).includes(server.credential), 'storage.local (readable by content scripts) never holds the credential');
    assert.equal(isSealed(local[`patkit:cred:${id}`]), true, 'it holds the sealed form');
    assert.ok(!JSON.stringify(local).includes('alice'), 'the user it belongs to is sealed too');
    assert.ok(!JSON.stringify(await fakeBrowser.storage.session.get(null)).includes(server.credential));
    // A browser restart: storage.session is gone, storage.local and the key (IndexedDB) remain.
    await fakeBrowser.storage.session.clear();
    restartService();
    const [after] = await ok('servers.list', {}, OPTIONS);
    assert.equal(after.state, 'signed_in');
    assert.equal(after.keepSignedIn, true);
    assert.equal((await ok('tokens.list', { serverId: id })).offline, false);
    await ok('auth.signOut', { serverId: id }, OPTIONS);
    assert.equal((await fakeBrowser.storage.local.get(`patkit:cred:${id}`))[`patkit:cred:${id}`], undefined);
  });

  test('a plain kept credential from an older build is sealed at start-up and still signs in', async () => {
    granted.add('http://127.0.0.1/*');
    const { id } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const user = { id: 'usr_alice', username: 'alice', display_name: 'Alice' };
    await fakeBrowser.storage.local.set({ [`patkit:cred:${id}`]: { credential: server.credential, user, expiresAt: null } });
    await restartService().start();
    const stored = (await fakeBrowser.storage.local.get(`patkit:cred:${id}`))[`patkit:cred:${id}`];
    assert.equal(isSealed(stored), true);
    assert.ok(!JSON.stringify(await fakeBrowser.storage.local.get(null)).includes(server.credential));
    const [view] = await ok('servers.list', {}, OPTIONS);
    assert.equal(view.state, 'signed_in');
    assert.equal(view.keepSignedIn, true);
    assert.equal((await ok('tokens.list', { serverId: id })).offline, false);
  });

  test('a sealed credential moved to another server, or whose key is gone, does not sign in', async () => {
    granted.add('http://127.0.0.1/*');
    const a = await ok('servers.save', { name: 'A', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const b = await ok('servers.save', { name: 'B', kind: 'patkit', baseUrl: 'http://127.0.0.1:8788' }, OPTIONS);
    await ok('auth.signIn', { serverId: a.id, kind: 'token', token: server.credential, keepSignedIn: true }, OPTIONS);
    const sealed = (await fakeBrowser.storage.local.get(`patkit:cred:${a.id}`))[`patkit:cred:${a.id}`];
    await fakeBrowser.storage.local.set({ [`patkit:cred:${b.id}`]: sealed });
    restartService();
    const views = await ok('servers.list', {}, OPTIONS);
    assert.deepEqual(views.map((v: { state: string }) => v.state), ['signed_in', 'signed_out']);
    // A new browser profile's IndexedDB (no key): the stored form alone is useless.
    useService(new BackgroundService({ browser: makeServiceApis(), providers: server.registry(), cache, credentialKeys: memoryKeyStore() }));
    assert.equal((await ok('servers.list', {}, OPTIONS))[0].state, 'signed_out');
  });

  test('a wrong password is reported and stores nothing', async () => {
    granted.add('http://127.0.0.1/*');
    const { id } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const answer = await ask('auth.signIn', { serverId: id, kind: 'password', username: 'alice', password: 'nope', keepSignedIn: false }, OPTIONS);
    assert.equal(answer.error.code, 'unauthorized');
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {});
  });

  test('signing out clears the cache, the credential and a pending secret (docs/security.md rule 23)', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.list', { serverId });
    await ok('tokens.create', { serverId, draft: { name: 'ci' } });
    assert.ok(cache.data.has(serverId));
    const view = await ok('auth.signOut', { serverId }, OPTIONS);
    assert.equal(view.state, 'signed_out');
    assert.equal(cache.data.has(serverId), false);
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {});
    assert.equal((await ask('tokens.list', { serverId })).error.code, 'unauthorized');
  });

  test('removing a server clears its cache, credential and panels', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.list', { serverId });
    granted.add('http://127.0.0.1/*');
    await ok('panels.save', { pattern: 'http://127.0.0.1:9000/*', serverId, inventory: false }, OPTIONS);
    assert.equal(registered.length, 1);
    await ok('servers.remove', { serverId }, OPTIONS);
    assert.equal(cache.data.size, 0);
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {});
    assert.deepEqual(await ok('panels.list', {}), []);
    assert.equal(registered.length, 0);
  });

  test('a 401 from the server signs the server out locally', async () => {
    const serverId = await addSignedInServer();
    server.credential = 'pks_rotated';
    assert.equal((await ask('tokens.list', { serverId })).error.code, 'unauthorized');
    const [view] = await ok('servers.list', {});
    assert.equal(view.state, 'signed_out');
  });
});

describe('two-factor sign-in', () => {
  test('a password sign-in that needs a one-time code says so, and succeeds with the code', async () => {
    granted.add('http://127.0.0.1/*');
    server.otp = '123456';
    const { id: serverId } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const creds = { serverId, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false };
    const first = await ask('auth.signIn', creds, OPTIONS);
    assert.equal(first.error.code, 'otp_required');
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {}, 'nothing stored without the code');
    assert.equal((await ask('auth.signIn', { ...creds, otp: '000000' }, OPTIONS)).error.code, 'otp_required');
    const view = await ok('auth.signIn', { ...creds, otp: '123456' }, OPTIONS);
    assert.equal(view.state, 'signed_in');
  });

  test('a malformed one-time code is refused before the provider is asked', async () => {
    granted.add('http://127.0.0.1/*');
    const { id: serverId } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const before = server.calls.length;
    for (const otp of ['', '12', '12345678901', 'abcdef', 42]) {
      const answer = await ask('auth.signIn', { serverId, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false, otp }, OPTIONS);
      assert.equal(answer.error.code, 'validation_failed', `otp ${JSON.stringify(otp)}`);
    }
    assert.equal(server.calls.length, before);
  });
});
