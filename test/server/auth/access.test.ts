/**
 * Changes take effect on the very next request (docs/security.md rule 8): delete (revoke), disable, user
 * deactivation (and reactivation restores), role removal. Plus user and role administration.
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

describe('the very next request', () => {
  test('delete (revoke): the next request with the token is 401', async () => {
    const { id, secret } = await createToken(h);
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
    assert.equal((await api('DELETE', `/api/v1/tokens/${id}`, { token: h.admin })).status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'unauthorized');
  });

  test('disable: the next request is 401; enable: works again', async () => {
    const { id, secret } = await createToken(h);
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
    await api('POST', `/api/v1/tokens/${id}/disable`, { token: h.admin });
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'token_disabled');
    await api('POST', `/api/v1/tokens/${id}/enable`, { token: h.admin });
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
  });

  test("user deactivation stops the user's tokens and sessions; reactivation restores the tokens", async () => {
    const dave = await createUser(h, 'dave', ['system_user', 'user_access_token']);
    const { secret } = await createToken(h, { scopes: ['tokens:read'] }, dave.session);
    assert.equal((await api('GET', '/api/v1/tokens', { token: secret })).status, 200);
    const off = await api('PATCH', `/api/v1/users/${dave.id}`, { token: h.admin, body: { active: false } });
    assert.equal(off.status, 200);
    assert.equal(off.json.active, false);
    assertProblem(await api('GET', '/api/v1/tokens', { token: secret }), 401, 'user_inactive');
    assertProblem(await api('GET', '/api/v1/users/me', { token: dave.session }), 401, 'session_expired');
    const signIn = await api('POST', '/api/v1/sessions', { body: { username: 'dave', password: dave.password } });
    assertProblem(signIn, 401, 'user_inactive');
    const introspect = await api('POST', '/api/v1/introspect', { token: h.admin, body: { token: secret } });
    assert.equal(introspect.json.active, false);
    await api('PATCH', `/api/v1/users/${dave.id}`, { token: h.admin, body: { active: true } });
    assert.equal((await api('GET', '/api/v1/tokens', { token: secret })).status, 200);
  });

  test("role removal lowers a token's rights on the next request", async () => {
    const erin = await createUser(h, 'erin', ['system_admin', 'system_user']);
    const { secret } = await createToken(h, { scopes: ['users:read', 'tokens:read'] }, erin.session);
    assert.equal((await api('GET', '/api/v1/users', { token: secret })).status, 200);
    await api('PUT', `/api/v1/users/${erin.id}/roles`, { token: h.admin, body: { roles: ['system_user'] } });
    assertProblem(await api('GET', '/api/v1/users', { token: secret }), 403, 'insufficient_scope');
    assertProblem(await api('GET', '/api/v1/users', { token: erin.session }), 403, 'insufficient_scope');
    assert.equal((await api('GET', '/api/v1/tokens', { token: secret })).status, 200, 'rights still held stay');
    await api('PUT', `/api/v1/users/${erin.id}/roles`, { token: h.admin, body: { roles: [] } });
    assertProblem(await api('GET', '/api/v1/tokens', { token: secret }), 403, 'insufficient_scope');
    await api('PUT', `/api/v1/users/${erin.id}/roles`, { token: h.admin, body: { roles: ['system_admin'] } });
    assert.equal((await api('GET', '/api/v1/users', { token: secret })).status, 200, 'granting restores');
  });

  test('regenerate: the old secret fails on the next request', async () => {
    const { id, secret } = await createToken(h);
    await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin });
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'unauthorized');
  });
});

describe('users and roles', () => {
  test('admins create, list, search and read users; others cannot', async () => {
    const frank = await createUser(h, 'frank');
    assert.deepEqual(frank.id.slice(0, 4), 'usr_');
    const list = await api('GET', '/api/v1/users?q=fran', { token: h.admin });
    assert.deepEqual(list.json.items.map((u: { username: string }) => u.username), ['frank']);
    const user = list.json.items[0];
    assert.equal(user.kind, 'person');
    assert.deepEqual(user.roles, ['system_user']);
    assert.deepEqual(user.permissions, ['tokens:read', 'tokens:write', 'tokens:self_rotate', 'settings:read']);
    assert.ok(!JSON.stringify(list.json).includes('scrypt'), 'no password hash in responses');
    assertProblem(await api('GET', '/api/v1/users', { token: frank.session }), 403, 'insufficient_scope');
    assertProblem(
      await api('POST', '/api/v1/users', { token: frank.session, body: { username: 'x1', display_name: 'x', password: 'password1' } }),
      403,
      'insufficient_scope',
    );
    assert.equal((await api('GET', `/api/v1/users/${frank.id}`, { token: frank.session })).status, 200, 'self is readable');
    assertProblem(
      await api('PUT', `/api/v1/users/${frank.id}/roles`, { token: frank.session, body: { roles: ['system_admin'] } }),
      403,
      'insufficient_scope',
    );
    assertProblem(await api('PATCH', `/api/v1/users/${h.adminId}`, { token: frank.session, body: { active: false } }), 403, 'insufficient_scope');
    const dup = await api('POST', '/api/v1/users', { token: h.admin, body: { username: 'FRANK', display_name: 'x', password: 'password1' } });
    assertProblem(dup, 409, 'conflict');
  });

  test('pages of users', async () => {
    for (const name of ['u-a', 'u-b', 'u-c']) {
      const r = await api('POST', '/api/v1/users', { token: h.admin, body: { username: name, display_name: name, password: 'password-1' } });
      assert.equal(r.status, 201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof api>> = await api('GET', `/api/v1/users?q=u-&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: h.admin });
      seen.push(...page.json.items.map((u: { username: string }) => u.username));
      cursor = page.json.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, ['u-a', 'u-b', 'u-c']);
  });

  test('the role catalog has the built-in roles, including the token role label', async () => {
    const r = await api('GET', '/api/v1/roles', { token: h.admin });
    const byId = new Map(r.json.items.map((role: { id: string }) => [role.id, role]));
    for (const id of ['system_admin', 'system_user', 'user_access_token', 'post_all', 'post_channels']) assert.ok(byId.has(id), id);
    assert.equal((byId.get('user_access_token') as { name: string }).name, 'Allow this account to generate personal access tokens');
    assertProblem(await api('PUT', `/api/v1/users/${h.adminId}/roles`, { token: h.admin, body: { roles: ['nope'] } }), 400, 'validation_failed');
  });

  test('the last active System Admin cannot be removed or deactivated; nobody deactivates themselves', async () => {
    const admins = await api('GET', '/api/v1/users?limit=200', { token: h.admin });
    for (const u of admins.json.items) {
      if (u.id !== h.adminId && u.roles.includes('system_admin')) {
        await api('PUT', `/api/v1/users/${u.id}/roles`, { token: h.admin, body: { roles: ['system_user'] } });
      }
    }
    assertProblem(await api('PUT', `/api/v1/users/${h.adminId}/roles`, { token: h.admin, body: { roles: ['system_user'] } }), 409, 'conflict');
    assertProblem(await api('PATCH', `/api/v1/users/${h.adminId}`, { token: h.admin, body: { active: false } }), 409, 'conflict');
    const me = await api('GET', '/api/v1/users/me', { token: h.admin });
    assert.ok(me.json.roles.includes('system_admin'));
  });

  test('admins set a new password for a user', async () => {
    const gina = await createUser(h, 'gina');
    const r = await api('PATCH', `/api/v1/users/${gina.id}`, { token: h.admin, body: { password: 'another-password-2', display_name: 'Gina G' } });
    assert.equal(r.status, 200);
    assert.equal(r.json.display_name, 'Gina G');
    assertProblem(await api('POST', '/api/v1/sessions', { body: { username: 'gina', password: gina.password } }), 401, 'invalid_credentials');
    assert.equal((await api('POST', '/api/v1/sessions', { body: { username: 'gina', password: 'another-password-2' } })).status, 201);
  });
});
