/**
 * The user's own tokens: listing and the cache (offline too), the pending secret of a created,
 * cloned or regenerated token, disable / enable / delete, rotation with a grace period.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import { PENDING_KEY, PENDING_TTL_MS } from '../../../../entrypoints/background/vault.ts';
import type { TokenMeta } from '../../../../lib/model.ts';
import { CredentialSeal, type Sealed } from '../../../../extension/credential-seal.ts';
import { OPTIONS, PANEL, addSignedInServer, advanceClock, ask, bg, cache, clock, dump, granted, keys, ok, resetBackground, restartService, server } from '../harness.ts';
import { meta } from '../fake-provider.ts';

beforeEach(resetBackground);

describe('tokens', () => {
  test('list refreshes the cache; offline answers the cached copy with its time', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a'), meta('tok_b')];
    const fresh = await ok('tokens.list', { serverId });
    assert.equal(fresh.offline, false);
    assert.equal(fresh.items.length, 2);
    assert.equal(fresh.cachedAt, new Date(clock).toISOString());
    server.offline = true;
    advanceClock(60_000);
    const stale = await ok('tokens.list', { serverId });
    assert.equal(stale.offline, true);
    assert.deepEqual(stale.items.map((t: TokenMeta) => t.id), ['tok_a', 'tok_b']);
    assert.equal(stale.cachedAt, fresh.cachedAt);
    const [view] = await ok('servers.list', {});
    assert.equal(view.state, 'offline');
  });

  test('create: the secret reaches the page and storage.session only, and the pending secret is offered again', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.list', { serverId });
    const created = await ok('tokens.create', { serverId, draft: { name: 'deploy' } });
    assert.match(created.secret, /^pat_/);
    const pending = await ok('pending.get', {});
    assert.equal(pending.secret, created.secret);
    assert.equal(pending.token.id, created.token.id);
    assert.equal(Date.parse(pending.expiresAt), clock + PENDING_TTL_MS);
    assert.ok(!(await dump()).includes(created.secret), 'no secret in storage.local or the cache');
    assert.equal(cache.data.get(serverId)?.items[0]?.id, created.token.id, 'the cache has the new metadata');
    const alarms = await fakeBrowser.alarms.getAll();
    assert.ok(alarms.some((a) => a.name === 'patkit:pending-wipe'));
  });

  test('confirming wipes the pending secret; confirming another token id does not', async () => {
    const serverId = await addSignedInServer();
    const created = await ok('tokens.create', { serverId, draft: { name: 'deploy' } });
    await ok('pending.confirm', { tokenId: 'tok_other' });
    assert.notEqual(await ok('pending.get', {}), null);
    await ok('pending.confirm', { tokenId: created.token.id });
    assert.equal(await ok('pending.get', {}), null);
    assert.equal((await fakeBrowser.storage.session.get(PENDING_KEY))[PENDING_KEY], undefined);
  });

  test('after five minutes the pending secret is gone (read or alarm)', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.create', { serverId, draft: { name: 'deploy' } });
    advanceClock(PENDING_TTL_MS - 1);
    assert.notEqual(await ok('pending.get', {}), null);
    advanceClock(2);
    await bg.onAlarm('patkit:pending-wipe');
    assert.equal((await fakeBrowser.storage.session.get(PENDING_KEY))[PENDING_KEY], undefined);
    assert.equal(await ok('pending.get', {}), null);
  });

  test('regenerate holds the new secret like create; disable, enable and delete update the cache', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a'), meta('tok_b')];
    await ok('tokens.list', { serverId });
    const regenerated = await ok('tokens.regenerate', { serverId, tokenId: 'tok_a' });
    assert.equal((await ok('pending.get', {})).secret, regenerated.secret);
    assert.equal((await ok('tokens.disable', { serverId, tokenId: 'tok_b' })).status, 'disabled');
    assert.equal(cache.data.get(serverId)?.items.find((t) => t.id === 'tok_b')?.status, 'disabled');
    assert.equal((await ok('tokens.enable', { serverId, tokenId: 'tok_b' })).status, 'active');
    await ok('tokens.delete', { serverId, tokenId: 'tok_a' });
    assert.deepEqual(cache.data.get(serverId)?.items.map((t) => t.id), ['tok_b']);
    assert.equal(await ok('pending.get', {}), null, 'deleting the token drops its pending secret');
  });

  test('clone makes a new token, holds its secret like create, adds it to the cache; an admin copy needs the acknowledgement', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a', { name: 'ci', scopes: ['tokens:read'] }), meta('tok_root', { name: 'root', scopes: ['admin'] })];
    await ok('tokens.list', { serverId });
    const cloned = await ok('tokens.clone', { serverId, tokenId: 'tok_a' });
    assert.equal(cloned.token.name, 'ci (copy)');
    assert.deepEqual(cloned.token.scopes, ['tokens:read']);
    assert.equal((await ok('pending.get', {})).secret, cloned.secret);
    assert.ok(cache.data.get(serverId)?.items.some((t) => t.id === cloned.token.id));
    assert.ok(!JSON.stringify(cache.data.get(serverId)).includes(cloned.secret), 'the cache holds metadata only');
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_root' })).error.code, 'admin_token_acknowledgement_required');
    const admin = await ok('tokens.clone', { serverId, tokenId: 'tok_root', overrides: { name: 'root 2' }, confirm: { acknowledge_admin_token: true } });
    assert.equal(admin.token.name, 'root 2');
    // Bad input changes nothing; the console panel may not clone (it never receives a secret).
    const before = server.tokens.length;
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_a', overrides: { owner_id: 'bob' } })).error.code, 'validation_failed');
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_a', overrides: { name: '' } })).error.code, 'validation_failed');
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_a' }, PANEL)).error.code, 'forbidden');
    assert.equal(server.tokens.length, before);
  });

  for (const keep of [false, true]) {
    test(`regenerating the signed-in token itself stores the new credential (${keep ? 'storage.local' : 'storage.session'})`, async () => {
      granted.add('http://127.0.0.1/*');
      const { id: serverId } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
      await ok('auth.signIn', { serverId, kind: 'token', token: server.credential, keepSignedIn: keep }, OPTIONS);
      server.tokens = [meta('tok_self')];
      server.selfTokenId = 'tok_self';
      const old = server.credential;
      await ok('tokens.regenerate', { serverId, tokenId: 'tok_self' });
      const area = keep ? fakeBrowser.storage.local : fakeBrowser.storage.session;
      // storage.local holds it sealed (docs/security.md rule 34): open it with the extension's key to look.
      const key = `patkit:cred:${serverId}`;
      const raw = (await area.get(key))[key];
      const stored = JSON.stringify(keep ? await new CredentialSeal(keys).open(key, raw as Sealed) : raw);
      assert.ok(stored.includes(server.credential), 'the new credential is stored where the old one was');
      assert.ok(!JSON.stringify(await area.get(null)).includes(old) && !stored.includes(old), 'the dead one is gone');
      // A service-worker restart loads the stored credential: still signed in.
      restartService();
      assert.equal((await ok('tokens.list', { serverId })).offline, false);
      assert.equal((await ok('auth.status', { serverId })).state, 'signed_in');
    });
  }
});

describe('rotation with a grace period', () => {
  test('regenerate passes the grace period (up to the server\u2019s maximum); end grace updates the cache', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a', { rotation: null })];
    await ok('tokens.list', { serverId });
    const over = await ask('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: 3600 });
    assert.equal(over.error.code, 'validation_failed');
    assert.match(over.error.message, /cannot keep the old value working/);
    server.graceMax = 86_400;
    const tooLong = await ask('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: 604_800 });
    assert.match(tooLong.error.message, /at most 86400 seconds/);
    assert.equal((await ask('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: -1 })).error.code, 'validation_failed');
    assert.deepEqual(server.graces, [], 'refused before the provider was asked');
    await ok('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: 3600 });
    await ok('tokens.regenerate', { serverId, tokenId: 'tok_a' });
    assert.deepEqual(server.graces, [3600, undefined]);
    // A compliant expiry (for a token over the lifetime policy) reaches the provider; a malformed one does not.
    const bad = await ask('tokens.regenerate', { serverId, tokenId: 'tok_a', expiresAt: 'next week' });
    assert.equal(bad.error.code, 'validation_failed');
    await ok('tokens.regenerate', { serverId, tokenId: 'tok_a', expiresAt: '2027-01-06T00:00:00.000Z' });
    assert.deepEqual(server.expiries, [undefined, undefined, '2027-01-06T00:00:00.000Z']);
    server.tokens[0]!.rotation = { previous_valid_until: '2026-11-23T10:00:00.000Z', previous_last4: 'wxyz' };
    await ok('tokens.list', { serverId });
    const ended = await ok('tokens.endGrace', { serverId, tokenId: 'tok_a' });
    assert.equal(ended.rotation, null);
    assert.equal(cache.data.get(serverId)?.items[0]?.rotation, null);
  });
});
