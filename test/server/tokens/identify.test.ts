/**
 * Identify a token by its value, over real HTTP on the store the suite runs against:
 * admins get its metadata and owner (never the secret), audited either way; no credential is 401,
 * non-admins 403, a value that is not a patkit token a clear 400, an unknown or dead one 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, call, createToken, createUser, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);

before(async () => {
  h = await startHarness();
});
after(() => h.stop());

describe('POST /api/v1/tokens/identify', () => {
  test("admins see the token's metadata and owner, never the secret; audited without it", async () => {
    const gina = await createUser(h, 'gina', ['system_user', 'user_access_token']);
    const { id, secret } = await createToken(h, { name: 'ginas ci' }, gina.session);
    const r = await api('POST', '/api/v1/tokens/identify', { token: h.admin, body: { token: secret } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.token.id, id);
    assert.equal(r.json.token.name, 'ginas ci');
    assert.equal(r.json.owner.id, gina.id);
    assert.equal(r.json.owner.username, 'gina');
    assert.equal(r.json.matched, 'current');
    assert.ok(!r.text.includes(secret), 'no secret in the answer');
    const events = await api('GET', `/api/v1/audit?token_id=${id}&action=token.identified`, { token: h.admin });
    assert.equal(events.json.items.length, 1);
    assert.equal(events.json.items[0].owner_id, gina.id);
    assert.equal(events.json.items[0].detail.found, true);
    assert.ok(!events.text.includes(secret));
    const me = await api('GET', `/api/v1/tokens/${id}`, { token: h.admin });
    assert.equal(me.json.last_used_at, null, 'identifying is not a use of the token');
  });

  test('the previous secret during a grace period identifies its token; after it, 404', async () => {
    const { id, secret } = await createToken(h);
    await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { grace_period_seconds: 60 } });
    const during = await api('POST', '/api/v1/tokens/identify', { token: h.admin, body: { token: secret } });
    assert.equal(during.json.token.id, id);
    assert.equal(during.json.matched, 'previous');
    await api('DELETE', `/api/v1/tokens/${id}/grace`, { token: h.admin });
    assertProblem(await api('POST', '/api/v1/tokens/identify', { token: h.admin, body: { token: secret } }), 404, 'not_found');
  });

  test('unknown (deleted) value: 404, audited as not found; not a patkit token, a wrong checksum or bad body: 400', async () => {
    const gone = await createToken(h);
    await api('DELETE', `/api/v1/tokens/${gone.id}`, { token: h.admin, body: {} });
    const before = await api('GET', '/api/v1/audit?action=token.identified&limit=200', { token: h.admin });
    assertProblem(await api('POST', '/api/v1/tokens/identify', { token: h.admin, body: { token: gone.secret } }), 404, 'not_found');
    const after = await api('GET', '/api/v1/audit?action=token.identified&limit=200', { token: h.admin });
    assert.equal(after.json.items.length, before.json.items.length + 1);
    assert.equal(after.json.items[0].detail.found, false);
    assert.equal(after.json.items[0].token_id, null);
    assert.ok(!after.text.includes(gone.secret), 'not even an unknown value is recorded');
    const malformed = await api('POST', '/api/v1/tokens/identify', { token: h.admin, body: { token: 'ghp_notours' } });
    assertProblem(malformed, 400, 'validation_failed');
    assert.equal(malformed.json.errors[0].field, 'token');
    assert.match(malformed.json.errors[0].message, /start with "pat_" followed by 36 letters and digits/);
    // The right shape with a wrong checksum (one character mistyped) says so, not the format.
    const typo = gone.secret.slice(0, 10) + (gone.secret[10] === 'a' ? 'b' : 'a') + gone.secret.slice(11);
    const mistyped = await api('POST', '/api/v1/tokens/identify', { token: h.admin, body: { token: typo } });
    assertProblem(mistyped, 400, 'validation_failed');
    assert.match(mistyped.json.errors[0].message, /checksum at the end of this value is wrong/);
    for (const body of [{}, { token: 42 }, { token: '' }, { token: 'pat_x', extra: 1 }]) {
      assertProblem(await api('POST', '/api/v1/tokens/identify', { token: h.admin, body }), 400, 'validation_failed');
    }
  });

  test('401 without a credential, 403 for non-admins and for an admin token without users:read', async () => {
    const { secret } = await createToken(h);
    assertProblem(await api('POST', '/api/v1/tokens/identify', { body: { token: secret } }), 401, 'unauthorized');
    const hank = await createUser(h, 'hank', ['system_user', 'user_access_token']);
    const own = await createToken(h, { scopes: ['tokens:read', 'tokens:write'] }, hank.session);
    assertProblem(await api('POST', '/api/v1/tokens/identify', { token: hank.session, body: { token: secret } }), 403, 'insufficient_scope');
    assertProblem(await api('POST', '/api/v1/tokens/identify', { token: hank.session, body: { token: own.secret } }), 403, 'insufficient_scope');
    const narrow = await createToken(h, { scopes: ['tokens:read'] });
    assertProblem(await api('POST', '/api/v1/tokens/identify', { token: narrow.secret, body: { token: secret } }), 403, 'insufficient_scope');
  });
});
