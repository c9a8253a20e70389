/**
 * Policies checked at every use, over real HTTP: the lifetime caps in force now (docs/security.md
 * rule 36), not-before, and the address allow-list against the address the trusted-proxy setting
 * gives (rule 37); real sockets from distinct loopback addresses. Bad input changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, assertProblem, call, createToken, startHarness, type CallOptions, type Harness } from '../helpers.ts';
import { callFrom } from '../auth/from-address.ts';

const DAY = 86_400_000;
let h: Harness;
const api = (method: string, path: string, options: CallOptions = {}) => call(h.url, method, path, options);
const inDays = (days: number) => new Date(Date.now() + h.clock.offsetMs + days * DAY).toISOString();

async function ok(method: string, path: string, options: CallOptions, status = 200) {
  const r = await api(method, path, options);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

async function lastFailure(tokenId: string): Promise<{ ip: string; detail: { reason: string } }> {
  const page = await ok('GET', `/api/v1/audit?token_id=${tokenId}&action=token.verification_failed`, { token: h.admin });
  return page.items[0];
}

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.stop();
});

describe('lifetime policy at use', () => {
  test('cap lowered → a 30-day token refused at use, a 5-day one still works; regenerating with a compliant expiry cures it', async () => {
    await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { max_lifetime_days: 365, default_lifetime_days: 30 } });
    const long = await createToken(h, { expires_at: inDays(30) });
    const short = await createToken(h, { expires_at: inDays(5) });
    assert.equal(long.json.token.lifetime_exceeds_policy, false);
    assert.equal((await api('GET', '/api/v1/tokens', { token: long.secret })).status, 200);

    await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { max_lifetime_days: 7, default_lifetime_days: 7 } });
    assertProblem(await api('GET', '/api/v1/tokens', { token: long.secret }), 401, 'token_lifetime_exceeds_policy');
    assert.equal((await lastFailure(long.id)).detail.reason, 'token_lifetime_exceeds_policy');
    assert.equal((await api('GET', '/api/v1/tokens', { token: short.secret })).status, 200);
    assert.equal((await ok('GET', `/api/v1/tokens/${long.id}`, { token: h.admin })).lifetime_exceeds_policy, true);
    assert.equal((await ok('GET', `/api/v1/tokens/${short.id}`, { token: h.admin })).lifetime_exceeds_policy, false);

    const refused = await api('POST', `/api/v1/tokens/${long.id}/regenerate`, { token: h.admin, body: {} });
    assertProblem(refused, 400, 'validation_failed');
    assert.equal(refused.json.errors[0].field, 'expires_at', 'regenerating keeps the 30-day expiry: over the cap');
    assertProblem(await api('GET', '/api/v1/tokens', { token: long.secret }), 401, 'token_lifetime_exceeds_policy');
    const cured = await ok('POST', `/api/v1/tokens/${long.id}/regenerate`, { token: h.admin, body: { expires_at: inDays(6) } });
    assert.equal(cured.token.lifetime_exceeds_policy, false);
    assert.equal((await api('GET', '/api/v1/tokens', { token: cured.secret })).status, 200);
    await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { max_lifetime_days: 365, default_lifetime_days: 30 } });
  });

  test("an organisation's stricter cap: at creation, and at use once lowered", async () => {
    const org = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Capped' } }, 201)).id;
    const token = await ok('POST', `/api/v1/orgs/${org}/tokens`, { token: h.admin, body: { name: 'o', admin_role: false, expires_at: inDays(20) } }, 201);
    assert.equal((await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: token.secret } })).active, true);
    const patched = await ok('PATCH', `/api/v1/orgs/${org}`, { token: h.admin, body: { max_token_lifetime_days: 10 } });
    assert.equal(patched.max_token_lifetime_days, 10);
    assert.equal((await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: token.secret } })).active, false);
    assert.equal((await ok('GET', `/api/v1/tokens/${token.token.id}`, { token: h.admin })).lifetime_exceeds_policy, true);
    const tooLong = await api('POST', `/api/v1/orgs/${org}/tokens`, { token: h.admin, body: { name: 'p', admin_role: false, expires_at: inDays(20) } });
    assertProblem(tooLong, 400, 'validation_failed');
    assert.equal(tooLong.json.errors[0].field, 'expires_at');
    assertProblem(await api('PATCH', `/api/v1/orgs/${org}`, { token: h.admin, body: { max_token_lifetime_days: 0 } }), 400, 'validation_failed');
  });
});

describe('not-before', () => {
  test('refused with token_not_yet_valid until not_before, then accepted; a patch can move it', async () => {
    const HOUR = 3_600_000;
    const notBefore = inDays(1 / 24);
    const t = await createToken(h, { not_before: notBefore, expires_at: inDays(10) });
    assert.equal(t.json.token.not_before, notBefore);
    assertProblem(await api('GET', '/api/v1/tokens', { token: t.secret }), 401, 'token_not_yet_valid');
    h.clock.offsetMs += 2 * HOUR;
    try {
      assert.equal((await api('GET', '/api/v1/tokens', { token: t.secret })).status, 200);
      const intro = await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: t.secret } });
      assert.equal(intro.not_before, notBefore);
      assert.equal(intro.nbf, Math.floor(Date.parse(notBefore) / 1000));
      await ok('PATCH', `/api/v1/tokens/${t.id}`, { token: h.admin, body: { not_before: inDays(1 / 24) } });
      assertProblem(await api('GET', '/api/v1/tokens', { token: t.secret }), 401, 'token_not_yet_valid');
      await ok('PATCH', `/api/v1/tokens/${t.id}`, { token: h.admin, body: { not_before: null } });
      assert.equal((await api('GET', '/api/v1/tokens', { token: t.secret })).status, 200);
    } finally {
      h.clock.offsetMs -= 2 * HOUR;
    }
  });

  test('not_before after expires_at, or not a time → 400 naming not_before; nothing changes', async () => {
    const count = (await ok('GET', '/api/v1/tokens?limit=200', { token: h.admin })).items.length;
    const after = await api('POST', '/api/v1/tokens', {
      token: h.admin,
      body: { name: 'x', scopes: ['tokens:read'], acknowledge_admin_token: true, expires_at: inDays(2), not_before: inDays(3) },
    });
    assertProblem(after, 400, 'validation_failed');
    assert.equal(after.json.errors[0].field, 'not_before');
    const garbage = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'x', scopes: ['tokens:read'], acknowledge_admin_token: true, not_before: 'tomorrow' } });
    assert.equal(garbage.json.errors[0].field, 'not_before');
    assert.equal((await ok('GET', '/api/v1/tokens?limit=200', { token: h.admin })).items.length, count);
    const t = await createToken(h, { expires_at: inDays(5) });
    const patch = await api('PATCH', `/api/v1/tokens/${t.id}`, { token: h.admin, body: { not_before: inDays(6) } });
    assert.equal(patch.json.errors[0].field, 'not_before');
    assert.equal((await ok('GET', `/api/v1/tokens/${t.id}`, { token: h.admin })).not_before, null);
  });
});

describe('IP allow-list', () => {
  test('allowed from 127.0.0.1, refused from 127.0.0.2 (401 ip_not_allowed, audited with the address)', async () => {
    const t = await createToken(h, { allowed_ips: ['127.0.0.1', '2001:db8::/32'] });
    assert.deepEqual(t.json.token.allowed_ips, ['127.0.0.1', '2001:db8::/32']);
    assert.equal((await callFrom(h.url, '127.0.0.1', 'GET', '/api/v1/tokens', { token: t.secret })).status, 200);
    const refused = await callFrom(h.url, '127.0.0.2', 'GET', '/api/v1/tokens', { token: t.secret });
    assert.equal(refused.status, 401);
    assert.equal(refused.json.code, 'ip_not_allowed');
    const entry = await lastFailure(t.id);
    assert.equal(entry.ip, '127.0.0.2');
    assert.equal(entry.detail.reason, 'ip_not_allowed');
    assert.ok(!JSON.stringify(entry).includes(t.secret), 'never the secret');
    const intro = await ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: t.secret } });
    assert.equal(intro.active, true, 'introspection has no address of the user: the host checks the list it reports');
    assert.deepEqual(intro.allowed_ips, ['127.0.0.1', '2001:db8::/32']);
  });

  test('a CIDR range admits its addresses; a patch changes the list at once; [] admits any address', async () => {
    const t = await createToken(h, { allowed_ips: ['127.0.1.0/24'] });
    assert.equal((await callFrom(h.url, '127.0.1.77', 'GET', '/api/v1/tokens', { token: t.secret })).status, 200);
    assert.equal((await callFrom(h.url, '127.0.2.1', 'GET', '/api/v1/tokens', { token: t.secret })).json.code, 'ip_not_allowed');
    await ok('PATCH', `/api/v1/tokens/${t.id}`, { token: h.admin, body: { allowed_ips: ['127.0.2.0/24'] } });
    assert.equal((await callFrom(h.url, '127.0.2.1', 'GET', '/api/v1/tokens', { token: t.secret })).status, 200);
    assert.equal((await callFrom(h.url, '127.0.1.77', 'GET', '/api/v1/tokens', { token: t.secret })).json.code, 'ip_not_allowed');
    await ok('PATCH', `/api/v1/tokens/${t.id}`, { token: h.admin, body: { allowed_ips: [] } });
    assert.equal((await callFrom(h.url, '127.0.1.77', 'GET', '/api/v1/tokens', { token: t.secret })).status, 200);
  });

  test('a malformed CIDR or more than 50 entries → 400 naming allowed_ips; nothing changes', async () => {
    const count = (await ok('GET', '/api/v1/tokens?limit=200', { token: h.admin })).items.length;
    for (const list of [['10.0.0.0/33'], ['10.0.0.1/8/2'], ['not-an-ip'], ['1'], Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`)]) {
      const r = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'x', scopes: ['tokens:read'], acknowledge_admin_token: true, allowed_ips: list } });
      assertProblem(r, 400, 'validation_failed');
      assert.match(r.json.errors[0].field, /^allowed_ips/, JSON.stringify(list).slice(0, 40));
    }
    assert.equal((await ok('GET', '/api/v1/tokens?limit=200', { token: h.admin })).items.length, count);
    const t = await createToken(h, { allowed_ips: ['127.0.0.1'] });
    const patch = await api('PATCH', `/api/v1/tokens/${t.id}`, { token: h.admin, body: { allowed_ips: ['300.1.1.1'] } });
    assert.equal(patch.json.errors[0].field, 'allowed_ips');
    assert.deepEqual((await ok('GET', `/api/v1/tokens/${t.id}`, { token: h.admin })).allowed_ips, ['127.0.0.1']);
  });
});

describe('IP allow-list behind a trusted proxy', () => {
  let p: Harness;
  before(async () => {
    p = await startHarness({ trustedProxies: ['127.0.0.1'] });
  });
  after(async () => {
    await p.stop();
  });

  test('the address that counts is the one the trusted-proxy setting gives', async () => {
    const t = await createToken(p, { allowed_ips: ['203.0.113.0/24'] });
    const via = (forwarded: string, from = '127.0.0.1') => callFrom(p.url, from, 'GET', '/api/v1/tokens', { token: t.secret, headers: { 'x-forwarded-for': forwarded } });
    assert.equal((await via('203.0.113.9')).status, 200, 'the client behind the trusted proxy is in the list');
    assert.equal((await via('198.51.100.1')).json.code, 'ip_not_allowed');
    assert.equal((await via('203.0.113.9', '127.0.0.3')).json.code, 'ip_not_allowed', 'an untrusted peer cannot claim an address');
  });
});

describe('widening where or when a token works needs the password', () => {
  let w: Harness;
  before(async () => {
    w = await startHarness({ passwordPolicy: true });
  });
  after(async () => {
    await w.stop();
  });

  test('an allow-list emptied or given an address outside it, or not_before moved earlier, asks for the password; narrowing does not', async () => {
    const patch = (id: string, body: Record<string, unknown>) => call(w.url, 'PATCH', `/api/v1/tokens/${id}`, { token: w.admin, body });
    const stored = async (id: string) => (await call(w.url, 'GET', `/api/v1/tokens/${id}`, { token: w.admin })).json;
    const use = (secret: string, from: string) => callFrom(w.url, from, 'GET', '/api/v1/tokens', { token: secret });
    const t = await createToken(w, { allowed_ips: ['127.0.1.0/24'], expires_at: new Date(Date.now() + 10 * DAY).toISOString(), password: ADMIN_PASSWORD });

    // Narrowing: a longer prefix, and an address inside the old range.
    assert.equal((await patch(t.id, { allowed_ips: ['127.0.1.0/25', '127.0.1.200'] })).status, 200);
    for (const allowed_ips of [['127.0.1.0/24'], [], ['127.0.1.0/25', '127.0.2.1'], ['::1'], ['127.0.0.0/8']]) {
      assertProblem(await patch(t.id, { allowed_ips }), 403, 'password_confirmation_required');
    }
    assertProblem(await patch(t.id, { allowed_ips: [], password: 'wrong' }), 403, 'password_incorrect');
    assert.deepEqual((await stored(t.id)).allowed_ips, ['127.0.1.0/25', '127.0.1.200'], 'nothing changed');
    assert.equal((await use(t.secret, '127.0.2.1')).json.code, 'ip_not_allowed');
    assert.equal((await patch(t.id, { allowed_ips: ['127.0.2.0/24'], password: ADMIN_PASSWORD })).status, 200);
    assert.equal((await use(t.secret, '127.0.2.1')).status, 200);

    // not_before: set or moved later is free; moved earlier or removed needs the password.
    const later = new Date(Date.now() + DAY).toISOString();
    assert.equal((await patch(t.id, { not_before: later })).status, 200);
    assert.equal((await patch(t.id, { not_before: new Date(Date.now() + 2 * DAY).toISOString() })).status, 200);
    assertProblem(await patch(t.id, { not_before: later }), 403, 'password_confirmation_required');
    assertProblem(await patch(t.id, { not_before: null }), 403, 'password_confirmation_required');
    assert.equal((await use(t.secret, '127.0.2.1')).json.code, 'token_not_yet_valid');
    assert.equal((await patch(t.id, { not_before: null, password: ADMIN_PASSWORD })).status, 200);
    assert.equal((await use(t.secret, '127.0.2.1')).status, 200);
  });
});
