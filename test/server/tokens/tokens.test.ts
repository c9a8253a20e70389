/** Token lifecycle and the rules around it (docs/security.md rules 5, 7, 9, 11). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PATKIT_TOKEN_PATTERN } from '../../../lib/model.ts';
import { ADMIN_TOKEN_WARNING } from '../../../server/tokens/ownership.ts';
import { assertProblem, call, createToken, createUser, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
let alice: { id: string; session: string; password: string };
let bob: { id: string; session: string; password: string };
const DAY = 86_400_000;

before(async () => {
  h = await startHarness();
  alice = await createUser(h, 'alice', ['system_user', 'user_access_token']);
  bob = await createUser(h, 'bob', ['system_user']);
});
after(() => h.stop());

const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);

describe('create', () => {
  test('returns the secret once with Cache-Control: no-store; metadata never carries it (rule 5)', async () => {
    const r = await api('POST', '/api/v1/tokens', {
      token: alice.session,
      body: { name: 'deploy', description: 'CI', scopes: ['tokens:read'] },
    });
    assert.equal(r.status, 201);
    assert.match(r.json.secret, PATKIT_TOKEN_PATTERN);
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
    const meta = r.json.token;
    assert.match(meta.id, /^tok_[0-9A-Za-z]{16}$/);
    assert.equal(meta.last4, r.json.secret.slice(-4));
    assert.deepEqual(meta.owner, { kind: 'user', id: alice.id, username: 'alice', display_name: 'alice', scope_id: null, scope_name: null });
    assert.deepEqual(meta.created_by, { id: alice.id, username: 'alice' });
    assert.equal(meta.status, 'active');
    assert.equal(meta.last_used_at, null);
    const get = await api('GET', `/api/v1/tokens/${meta.id}`, { token: alice.session });
    assert.equal(get.status, 200);
    assert.ok(!get.text.includes(r.json.secret));
    assert.ok(!('secret' in get.json));
    const list = await api('GET', '/api/v1/tokens', { token: alice.session });
    assert.ok(list.json.items.some((t: { id: string }) => t.id === meta.id));
    assert.ok(!list.text.includes(r.json.secret));
    assert.ok(!list.text.includes(r.json.secret.slice(4, 34)));
  });

  test('the new token authenticates as its owner', async () => {
    const { secret } = await createToken(h, { scopes: [] }, alice.session);
    const me = await api('GET', '/api/v1/users/me', { token: secret });
    assert.equal(me.status, 200);
    assert.equal(me.json.username, 'alice');
  });

  test('only admins and holders of user_access_token may create tokens', async () => {
    const r = await api('POST', '/api/v1/tokens', { token: bob.session, body: { name: 'x', scopes: [] } });
    assertProblem(r, 403, 'forbidden');
    const role = await api('PUT', `/api/v1/users/${bob.id}/roles`, { token: h.admin, body: { roles: ['system_user', 'user_access_token'] } });
    assert.equal(role.status, 200);
    const ok = await api('POST', '/api/v1/tokens', { token: bob.session, body: { name: 'x', scopes: [] } });
    assert.equal(ok.status, 201);
    await api('PUT', `/api/v1/users/${bob.id}/roles`, { token: h.admin, body: { roles: ['system_user'] } });
  });

  test('an admin creates a token for another user; a non-admin cannot', async () => {
    const r = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'for bob', scopes: ['tokens:read'], owner_id: bob.id } });
    assert.equal(r.status, 201);
    assert.equal(r.json.token.owner.id, bob.id);
    assert.equal(r.json.token.created_by.username, 'admin');
    const denied = await api('POST', '/api/v1/tokens', { token: alice.session, body: { name: 'for bob', scopes: [], owner_id: bob.id } });
    assertProblem(denied, 403, 'forbidden');
    const unknown = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'x', scopes: [], owner_id: 'usr_nobody' } });
    assertProblem(unknown, 400, 'validation_failed');
  });

  test('a token for a System Admin needs the explicit acknowledgement (409 with the warning)', async () => {
    const r = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'admin token', scopes: ['tokens:read'] } });
    assertProblem(r, 409, 'admin_token_acknowledgement_required');
    assert.equal(r.json.detail, ADMIN_TOKEN_WARNING);
    assert.equal(
      r.json.detail,
      'You are generating a personal access token with System Admin permissions. Are you sure want to create this token?',
    );
    const refused = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'admin token', scopes: [], acknowledge_admin_token: false } });
    assertProblem(refused, 409, 'admin_token_acknowledgement_required');
    const ok = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'admin token', scopes: [], acknowledge_admin_token: true } });
    assert.equal(ok.status, 201);
    // Non-admin owners need no acknowledgement, even when an admin creates the token.
    const forAlice = await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'a', scopes: [], owner_id: alice.id } });
    assert.equal(forAlice.status, 201);
  });

  test('unknown scopes are refused; the scope catalog lists the nine methods and the presets', async () => {
    const r = await api('POST', '/api/v1/tokens', { token: alice.session, body: { name: 'x', scopes: ['tokens:read', 'nope:nope'] } });
    assertProblem(r, 400, 'validation_failed');
    assert.equal(r.json.errors[0].field, 'scopes');
    const catalog = await api('GET', '/api/v1/scopes', { token: alice.session });
    const ids = catalog.json.scopes.map((s: { id: string }) => s.id);
    for (const id of ['tokens:read', 'tokens:write', 'users:read', 'users:write', 'roles:write', 'settings:read', 'settings:write', 'audit:read', 'tokens:introspect']) {
      assert.ok(ids.includes(id), id);
    }
    for (const s of catalog.json.scopes) assert.ok(typeof s.group === 'string' && typeof s.description === 'string' && 'docs_url' in s);
    assert.deepEqual(
      catalog.json.presets.map((p: { name: string }) => p.name),
      ['Read only', 'Manage own tokens', 'Full access'],
    );
  });
});

describe('expiry policy (rule 7)', () => {
  test('default lifetime when none is given; maximum enforced; "never" only when allowed', async () => {
    await api('PATCH', '/api/v1/settings', { token: h.admin, body: { default_lifetime_days: 10, max_lifetime_days: 30, allow_no_expiry: false } });
    const t0 = Date.now();
    const def = await createToken(h, {}, alice.session);
    const exp = Date.parse(def.json.token.expires_at);
    assert.ok(Math.abs(exp - (t0 + 10 * DAY)) < 60_000, def.json.token.expires_at);
    const tooLong = await api('POST', '/api/v1/tokens', {
      token: alice.session,
      body: { name: 'x', scopes: [], expires_at: new Date(Date.now() + 31 * DAY).toISOString() },
    });
    assertProblem(tooLong, 400, 'validation_failed');
    const never = await api('POST', '/api/v1/tokens', { token: alice.session, body: { name: 'x', scopes: [], expires_at: null } });
    assertProblem(never, 400, 'validation_failed');
    const past = await api('POST', '/api/v1/tokens', { token: alice.session, body: { name: 'x', scopes: [], expires_at: '2001-01-01T00:00:00Z' } });
    assertProblem(past, 400, 'validation_failed');
    const garbage = await api('POST', '/api/v1/tokens', { token: alice.session, body: { name: 'x', scopes: [], expires_at: 'next week' } });
    assertProblem(garbage, 400, 'validation_failed');
    await api('PATCH', '/api/v1/settings', { token: h.admin, body: { max_lifetime_days: 0, allow_no_expiry: true } });
    const ok = await api('POST', '/api/v1/tokens', { token: alice.session, body: { name: 'x', scopes: [], expires_at: null } });
    assert.equal(ok.status, 201);
    assert.equal(ok.json.token.expires_at, null);
    const far = await api('POST', '/api/v1/tokens', {
      token: alice.session,
      body: { name: 'x', scopes: [], expires_at: new Date(Date.now() + 3000 * DAY).toISOString() },
    });
    assert.equal(far.status, 201);
    const bad = await api('PATCH', '/api/v1/settings', { token: h.admin, body: { default_lifetime_days: 40, max_lifetime_days: 20 } });
    assertProblem(bad, 400, 'validation_failed');
    await api('PATCH', '/api/v1/settings', { token: h.admin, body: { default_lifetime_days: 30, max_lifetime_days: 365, allow_no_expiry: false } });
  });

  test('an expired token gets 401 token_expired and shows status "expired"', async () => {
    const { id, secret } = await createToken(h, { expires_at: new Date(Date.now() + 3_600_000).toISOString() }, alice.session);
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
    // One hour later: the token has expired, the 12-hour session has not.
    h.clock.offsetMs = 3_600_000 + 1000;
    try {
      const r = await api('GET', '/api/v1/users/me', { token: secret });
      assertProblem(r, 401, 'token_expired');
      const meta = await api('GET', `/api/v1/tokens/${id}`, { token: alice.session });
      assert.equal(meta.json.status, 'expired');
      const expired = await api('GET', '/api/v1/tokens?status=expired', { token: alice.session });
      assert.ok(expired.json.items.some((t: { id: string }) => t.id === id));
      const active = await api('GET', '/api/v1/tokens?status=active', { token: alice.session });
      assert.ok(!active.json.items.some((t: { id: string }) => t.id === id));
      const introspect = await api('POST', '/api/v1/introspect', { token: h.admin, body: { token: secret } });
      assert.deepEqual(introspect.json, { active: false });
    } finally {
      h.clock.offsetMs = 0;
    }
  });
});

describe('update, regenerate, clone, disable, enable, delete', () => {
  test('update name, description, expiry and scopes', async () => {
    const { id } = await createToken(h, { scopes: ['tokens:read'] }, alice.session);
    const expires = new Date(Date.now() + 5 * DAY).toISOString();
    const r = await api('PATCH', `/api/v1/tokens/${id}`, {
      token: alice.session,
      body: { name: 'renamed', description: 'new text', expires_at: expires, scopes: ['tokens:read', 'tokens:write'] },
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.name, 'renamed');
    assert.equal(r.json.description, 'new text');
    assert.equal(r.json.expires_at, expires);
    assert.deepEqual(r.json.scopes, ['tokens:read', 'tokens:write']);
    const other = await api('PATCH', `/api/v1/tokens/${id}`, { token: bob.session, body: { name: 'stolen' } });
    assertProblem(other, 404, 'not_found');
  });

  test('regenerate: new secret, same parameters, the old secret is dead (rule 11)', async () => {
    const { id, secret, json } = await createToken(h, { name: 'regen', scopes: ['tokens:read'] }, alice.session);
    const r = await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: alice.session, body: {} });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
    assert.notEqual(r.json.secret, secret);
    assert.equal(r.json.token.id, id);
    assert.equal(r.json.token.name, 'regen');
    assert.deepEqual(r.json.token.scopes, json.token.scopes);
    assert.equal(r.json.token.expires_at, json.token.expires_at);
    assert.equal(r.json.token.last4, r.json.secret.slice(-4));
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'unauthorized');
    assert.equal((await api('GET', '/api/v1/users/me', { token: r.json.secret })).status, 200);
  });

  test('clone: a new token with the parameters of the old one; both work', async () => {
    const { id, secret, json } = await createToken(h, { name: 'orig', description: 'd', scopes: ['tokens:read', 'tokens:write'] }, alice.session);
    const r = await api('POST', `/api/v1/tokens/${id}/clone`, { token: alice.session, body: {} });
    assert.equal(r.status, 201);
    assert.match(r.headers.get('cache-control') ?? '', /no-store/);
    assert.notEqual(r.json.token.id, id);
    assert.equal(r.json.token.name, 'orig (copy)');
    assert.equal(r.json.token.description, 'd');
    assert.deepEqual(r.json.token.scopes, json.token.scopes);
    const lifetime = Date.parse(json.token.expires_at) - Date.parse(json.token.created_at);
    const cloneLifetime = Date.parse(r.json.token.expires_at) - Date.parse(r.json.token.created_at);
    assert.ok(Math.abs(lifetime - cloneLifetime) < 60_000);
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
    assert.equal((await api('GET', '/api/v1/users/me', { token: r.json.secret })).status, 200);
    const named = await api('POST', `/api/v1/tokens/${id}/clone`, { token: alice.session, body: { name: 'second' } });
    assert.equal(named.json.token.name, 'second');
  });

  test('disable and enable (temporary), delete (permanent)', async () => {
    const { id, secret } = await createToken(h, {}, alice.session);
    const d = await api('POST', `/api/v1/tokens/${id}/disable`, { token: alice.session });
    assert.equal(d.status, 200);
    assert.equal(d.json.status, 'disabled');
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'token_disabled');
    const e = await api('POST', `/api/v1/tokens/${id}/enable`, { token: alice.session, body: {} });
    assert.equal(e.json.status, 'active');
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
    const del = await api('DELETE', `/api/v1/tokens/${id}`, { token: alice.session });
    assert.equal(del.status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'unauthorized');
    assertProblem(await api('GET', `/api/v1/tokens/${id}`, { token: alice.session }), 404, 'not_found');
  });

  test('bulk delete is all or nothing', async () => {
    const a = await createToken(h, {}, alice.session);
    const b = await createToken(h, {}, alice.session);
    const bobs = await createToken(h, { owner_id: bob.id }, h.admin);
    const mixed = await api('POST', '/api/v1/tokens/bulk-delete', { token: alice.session, body: { ids: [a.id, bobs.id] } });
    assertProblem(mixed, 404, 'not_found');
    const missing = await api('POST', '/api/v1/tokens/bulk-delete', { token: alice.session, body: { ids: [a.id, 'tok_doesnotexist'] } });
    assertProblem(missing, 404, 'not_found');
    assert.equal((await api('GET', `/api/v1/tokens/${a.id}`, { token: alice.session })).status, 200, 'nothing was deleted');
    const ok = await api('POST', '/api/v1/tokens/bulk-delete', { token: alice.session, body: { ids: [a.id, b.id] } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json.deleted.sort(), [a.id, b.id].sort());
    assertProblem(await api('GET', '/api/v1/users/me', { token: a.secret }), 401, 'unauthorized');
    const adminBulk = await api('POST', '/api/v1/tokens/bulk-delete', { token: h.admin, body: { ids: [bobs.id] } });
    assert.equal(adminBulk.status, 200);
  });
});

describe('list (own by default; admins: everyone, by user, search, sort, cursor pages)', () => {
  test('users see only their own tokens; "all" and other users need users:read', async () => {
    const mine = await api('GET', '/api/v1/tokens', { token: bob.session });
    for (const t of mine.json.items) assert.equal(t.owner.id, bob.id);
    assertProblem(await api('GET', '/api/v1/tokens?owner=all', { token: bob.session }), 403, 'insufficient_scope');
    assertProblem(await api('GET', `/api/v1/tokens?owner=${alice.id}`, { token: bob.session }), 403, 'insufficient_scope');
    const all = await api('GET', '/api/v1/tokens?owner=all&limit=200', { token: h.admin });
    const owners = new Set(all.json.items.map((t: { owner: { id: string } }) => t.owner.id));
    assert.ok(owners.has(alice.id) && owners.has(h.adminId));
    const aliceOnly = await api('GET', `/api/v1/tokens?owner=${alice.id}&limit=200`, { token: h.admin });
    assert.ok(aliceOnly.json.items.length > 0);
    for (const t of aliceOnly.json.items) assert.equal(t.owner.id, alice.id);
  });

  test('search by token id, name and username', async () => {
    const { id } = await createToken(h, { name: 'Zebra-Unique-Name' }, alice.session);
    const byName = await api('GET', '/api/v1/tokens?owner=all&q=zebra-unique', { token: h.admin });
    assert.deepEqual(byName.json.items.map((t: { id: string }) => t.id), [id]);
    const byId = await api('GET', `/api/v1/tokens?owner=all&q=${id}`, { token: h.admin });
    assert.deepEqual(byId.json.items.map((t: { id: string }) => t.id), [id]);
    const byUser = await api('GET', '/api/v1/tokens?owner=all&q=alice&limit=200', { token: h.admin });
    assert.ok(byUser.json.items.length > 1);
    for (const t of byUser.json.items) assert.ok(t.owner.username === 'alice' || /alice/i.test(t.name + t.description));
    const wildcard = await api('GET', '/api/v1/tokens?owner=all&q=%25', { token: h.admin });
    assert.equal(wildcard.json.items.length, 0, '% is matched literally');
  });

  test('cursor pages cover every token exactly once, in the requested order', async () => {
    const carol = await createUser(h, 'carol', ['system_user', 'user_access_token']);
    const names = ['delta', 'alpha', 'echo', 'charlie', 'bravo', 'foxtrot', 'golf'];
    for (const name of names) await createToken(h, { name }, carol.session);
    for (const [sort, order, expected] of [
      ['name', 'asc', [...names].sort()],
      ['name', 'desc', [...names].sort().reverse()],
      ['created_at', 'asc', names],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/api/v1/tokens?sort=${sort}&order=${order}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await api('GET', query, { token: carol.session });
        assert.equal(page.status, 200, page.text);
        assert.ok(page.json.items.length <= 3);
        seen.push(...page.json.items.map((t: { name: string }) => t.name));
        cursor = page.json.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, expected, `${sort} ${order}`);
    }
    assertProblem(await api('GET', '/api/v1/tokens?cursor=notacursor', { token: carol.session }), 400, 'validation_failed');
  });
});

describe('effective rights = scopes ∩ owner permissions (rule 9)', () => {
  test('a token only does what both its scopes and its owner allow', async () => {
    const readOnly = await createToken(h, { scopes: ['tokens:read'] }, alice.session);
    assert.equal((await api('GET', '/api/v1/tokens', { token: readOnly.secret })).status, 200);
    const write = await api('POST', '/api/v1/tokens', { token: readOnly.secret, body: { name: 'x', scopes: [] } });
    assertProblem(write, 403, 'insufficient_scope');
    // Alice's token asks for users:read, but Alice herself does not have it.
    const wide = await createToken(h, { scopes: ['tokens:read', 'users:read', 'audit:read'] }, alice.session);
    assertProblem(await api('GET', '/api/v1/users', { token: wide.secret }), 403, 'insufficient_scope');
    assertProblem(await api('GET', '/api/v1/audit', { token: wide.secret }), 403, 'insufficient_scope');
    // The same scopes on an admin's token work.
    const adminToken = await createToken(h, { scopes: ['users:read'] });
    assert.equal((await api('GET', '/api/v1/users', { token: adminToken.secret })).status, 200);
    assertProblem(await api('GET', '/api/v1/audit', { token: adminToken.secret }), 403, 'insufficient_scope');
    const introspect = await api('POST', '/api/v1/introspect', { token: h.admin, body: { token: wide.secret } });
    assert.equal(introspect.json.active, true);
    assert.equal(introspect.json.scope, 'tokens:read');
  });

  test('introspection (RFC 7662) needs tokens:introspect', async () => {
    const subject = await createToken(h, { scopes: ['tokens:read', 'tokens:write'], expires_at: new Date(Date.now() + 2 * DAY).toISOString() }, alice.session);
    const checker = await createToken(h, { scopes: ['tokens:introspect'] });
    const r = await api('POST', '/api/v1/introspect', { token: checker.secret, body: { token: subject.secret } });
    assert.equal(r.status, 200);
    assert.equal(r.json.active, true);
    assert.equal(r.json.sub, alice.id);
    assert.equal(r.json.username, 'alice');
    assert.equal(r.json.token_id, subject.id);
    assert.equal(r.json.scope, 'tokens:read tokens:write');
    assert.equal(r.json.exp, Math.floor(Date.parse(subject.json.token.expires_at) / 1000));
    assert.deepEqual((await api('POST', '/api/v1/introspect', { token: checker.secret, body: { token: 'pat_nope' } })).json, { active: false });
    const noScope = await createToken(h, { scopes: ['tokens:read'] });
    assertProblem(await api('POST', '/api/v1/introspect', { token: noScope.secret, body: { token: subject.secret } }), 403, 'insufficient_scope');
    assertProblem(await api('POST', '/api/v1/introspect', { token: alice.session, body: { token: subject.secret } }), 403, 'insufficient_scope');
  });
});

describe('last use', () => {
  test('last_used_at and last_used_ip are recorded, at most once a minute', async () => {
    const { id, secret } = await createToken(h, {}, alice.session);
    await api('GET', '/api/v1/users/me', { token: secret });
    const first = (await api('GET', `/api/v1/tokens/${id}`, { token: alice.session })).json;
    assert.ok(first.last_used_at);
    assert.equal(first.last_used_ip, '127.0.0.1');
    h.clock.offsetMs = 30_000;
    await api('GET', '/api/v1/users/me', { token: secret });
    const second = (await api('GET', `/api/v1/tokens/${id}`, { token: alice.session })).json;
    assert.equal(second.last_used_at, first.last_used_at, 'no write within the minute');
    h.clock.offsetMs = 61_000;
    await api('GET', '/api/v1/users/me', { token: secret });
    const third = (await api('GET', `/api/v1/tokens/${id}`, { token: alice.session })).json;
    h.clock.offsetMs = 0;
    assert.ok(Date.parse(third.last_used_at) > Date.parse(first.last_used_at));
  });
});

describe('settings', () => {
  test('while PATs are disabled, creating gets personal_access_tokens_disabled and existing tokens are rejected', async () => {
    const { secret } = await createToken(h, {}, alice.session);
    await api('PATCH', '/api/v1/settings', { token: h.admin, body: { enable_personal_access_tokens: false } });
    try {
      assertProblem(await api('POST', '/api/v1/tokens', { token: alice.session, body: { name: 'x', scopes: [] } }), 403, 'personal_access_tokens_disabled');
      assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'personal_access_tokens_disabled');
      const settings = await api('GET', '/api/v1/settings', { token: alice.session });
      assert.equal(settings.json.enable_personal_access_tokens, false);
    } finally {
      await api('PATCH', '/api/v1/settings', { token: h.admin, body: { enable_personal_access_tokens: true } });
    }
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
  });

  test('only settings:write may change settings', async () => {
    assertProblem(await api('PATCH', '/api/v1/settings', { token: alice.session, body: { allow_no_expiry: true } }), 403, 'insufficient_scope');
  });
});
