/**
 * defineProvider: a host's read-only provider is four members; the base fills in the rest, every
 * capability it does not name is off, and the operations it leaves out are absent and refused
 * with the typed error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_CAPABILITIES, UnsupportedOperation, capabilities, requireOperation, supports } from '../../../lib/providers/provider-api.ts';
import { assertLacks, rejectsWith } from '../support/provider-error-assertions.ts';
import { READER, listedToken, readOnlyProvider } from './read-only-provider.ts';

describe('defineProvider: a read-only provider over an in-memory list', () => {
  const tokens = [1, 2, 3].map(listedToken);

  test('lists and reads; a token sign-in asks currentUser; sign-out forgets', async () => {
    const p = readOnlyProvider(tokens);
    assert.deepEqual((await p.listTokens()).items.map((t) => t.id), ['tok_1', 'tok_2', 'tok_3']);
    assert.deepEqual((await p.listTokens({ text: 'TOKEN 2' })).items.map((t) => t.id), ['tok_2']);
    assert.equal((await p.getToken('tok_3')).name, 'token 3');
    await rejectsWith(p.getToken('tok_9'), 'not_found');
    const signedIn = await p.signIn({ kind: 'token', token: 'acme-token' });
    assert.deepEqual(signedIn, { user: READER, credential: 'acme-token', expires_at: null });
    await rejectsWith(p.signIn({ kind: 'password', username: 'a', password: 'b' }), 'validation_failed', /token only/);
    await p.signOut();
    assert.deepEqual(await p.scopeCatalog(), { scopes: [], presets: [] });
  });

  test('capabilities: only what it names differs from none', async () => {
    const p = readOnlyProvider(tokens);
    assert.deepEqual(p.capabilities, { ...NO_CAPABILITIES, names: true, create: { allowed: false, reason: 'Create tokens in the Acme console.' } });
    assert.equal(await p.refreshCapabilities(), p.capabilities);
    // The defaults are a fresh object each time: one provider changing its own leaves the others alone.
    const a = capabilities();
    a.expiry.mode = 'required';
    assert.equal(capabilities().expiry.mode, 'none');
    assert.ok(Object.isFrozen(NO_CAPABILITIES));
  });

  test('what it leaves out is absent, not offered, and refused typed', () => {
    const p = readOnlyProvider(tokens);
    assertLacks(p, ['createToken', 'deleteToken', 'updateToken', 'regenerateToken', 'disableToken', 'enableToken', 'cloneToken', 'bulkDeleteTokens', 'listUsers', 'listAudit', 'getSettings', 'endGrace']);
    assert.throws(() => requireOperation(p, 'deleteToken'), (e: unknown) => e instanceof UnsupportedOperation && e.message === 'Acme servers cannot delete a token.');
  });

  test('an operation it has is offered only while its capability is on', () => {
    const base = readOnlyProvider(tokens);
    const withDelete = { ...base, capabilities: base.capabilities, deleteToken: () => Promise.resolve() };
    assert.equal(supports(withDelete, 'deleteToken'), true);
    const withClone = { ...withDelete, cloneToken: () => Promise.reject(new Error('not called')) };
    assert.equal(supports(withClone, 'cloneToken'), false, 'clone is off in its capabilities');
    assert.equal(typeof requireOperation(withClone, 'cloneToken'), 'function');
  });
});
