/**
 * Organisation and group tokens backed by technical users, over real HTTP: memberships and
 * who manages what, one-transaction creation, rights by level, revoke / delete, changes that bite on
 * the next request (docs/security.md rule 8), 404 across organisations, audit, bad input, demo data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, call, createToken, createUser, startHarness, type CallOptions, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: CallOptions = {}) => call(h.url, method, path, options);

interface Person {
  id: string;
  session: string;
  password: string;
}

let orgA: string;
let orgB: string;
let groupA: string;
let orgAdmin: Person; // organization admin of A
let orgUser: Person; // organization user of A
let groupAdmin: Person; // group admin of A's group, no org role
let outsider: Person; // organization admin of B

async function ok(method: string, path: string, options: CallOptions, status = 200) {
  const r = await api(method, path, options);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

async function introspect(secret: string) {
  return ok('POST', '/api/v1/introspect', { token: h.admin, body: { token: secret } });
}

async function orgToken(org: string, body: Record<string, unknown>, credential: string) {
  return ok('POST', `/api/v1/orgs/${org}/tokens`, { token: credential, body: { name: 'org token', ...body } }, 201);
}

async function groupToken(org: string, group: string, body: Record<string, unknown>, credential: string) {
  return ok('POST', `/api/v1/orgs/${org}/groups/${group}/tokens`, { token: credential, body: { name: 'group token', ...body } }, 201);
}

async function countUsers(): Promise<number> {
  return (await ok('GET', '/api/v1/users?limit=200', { token: h.admin })).items.length;
}

before(async () => {
  h = await startHarness();
  orgAdmin = await createUser(h, 'olga');
  orgUser = await createUser(h, 'oscar');
  groupAdmin = await createUser(h, 'greta');
  outsider = await createUser(h, 'bert');
  orgA = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Acme' } }, 201)).id;
  orgB = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Beta' } }, 201)).id;
  groupA = (await ok('POST', `/api/v1/orgs/${orgA}/groups`, { token: h.admin, body: { name: 'Platform' } }, 201)).id;
  await ok('PUT', `/api/v1/orgs/${orgA}/members/${orgAdmin.id}`, { token: h.admin, body: { role: 'admin' } });
  await ok('PUT', `/api/v1/orgs/${orgA}/members/${orgUser.id}`, { token: h.admin, body: { role: 'user' } });
  await ok('PUT', `/api/v1/orgs/${orgA}/groups/${groupA}/members/${groupAdmin.id}`, { token: h.admin, body: { role: 'admin' } });
  await ok('PUT', `/api/v1/orgs/${orgB}/members/${outsider.id}`, { token: h.admin, body: { role: 'admin' } });
});
after(() => h.stop());

describe('organisations, groups and memberships', () => {
  test('only System Admins create organisations and groups and set memberships', async () => {
    assertProblem(await api('POST', '/api/v1/orgs', { token: orgAdmin.session, body: { name: 'Mine' } }), 403, 'insufficient_scope');
    assertProblem(await api('POST', `/api/v1/orgs/${orgA}/groups`, { token: orgAdmin.session, body: { name: 'Mine' } }), 403, 'insufficient_scope');
    assertProblem(await api('PUT', `/api/v1/orgs/${orgA}/members/${orgUser.id}`, { token: orgAdmin.session, body: { role: 'admin' } }), 403, 'insufficient_scope');
    assertProblem(await api('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'acme' } }), 409, 'conflict');
    assertProblem(await api('POST', `/api/v1/orgs/${orgA}/groups`, { token: h.admin, body: { name: 'PLATFORM' } }), 409, 'conflict');
  });

  test('each member sees their organisations with their role; System Admins see all', async () => {
    const mine = await ok('GET', '/api/v1/orgs', { token: orgAdmin.session });
    assert.deepEqual(mine.items.map((o: { name: string }) => o.name), ['Acme']);
    assert.equal(mine.items[0].role, 'admin');
    assert.equal(mine.items[0].can_manage_tokens, true);
    const user = await ok('GET', '/api/v1/orgs', { token: orgUser.session });
    assert.equal(user.items[0].role, 'user');
    assert.equal(user.items[0].can_manage_tokens, false);
    const viaGroup = await ok('GET', '/api/v1/orgs', { token: groupAdmin.session });
    assert.deepEqual(viaGroup.items.map((o: { id: string }) => o.id), [orgA]);
    const groups = await ok('GET', `/api/v1/orgs/${orgA}/groups`, { token: groupAdmin.session });
    assert.equal(groups.items[0].role, 'admin');
    assert.equal(groups.items[0].can_manage_tokens, true);
    const all = await ok('GET', '/api/v1/orgs', { token: h.admin });
    assert.ok(all.items.length >= 2);
  });

  test('a user of organisation B gets 404 for organisation A and its groups', async () => {
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}`, { token: outsider.session }), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/tokens`, { token: outsider.session }), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/groups/${groupA}/tokens`, { token: outsider.session }), 404, 'not_found');
    assertProblem(await api('POST', `/api/v1/orgs/${orgA}/tokens`, { token: outsider.session, body: { name: 'x', admin_role: false } }), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/orgs/${orgB}/groups/${groupA}`, { token: h.admin }), 404, 'not_found');
  });
});

describe('organisation and group tokens', () => {
  test('creating one makes its technical user and the token; the secret comes once, no-store', async () => {
    const before = await countUsers();
    const r = await api('POST', `/api/v1/orgs/${orgA}/tokens`, {
      token: orgAdmin.session,
      body: { name: 'CI deploy', expires_at: new Date(Date.now() + 5 * 86_400_000).toISOString(), admin_role: true },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.match(r.json.secret, /^pat_[0-9A-Za-z]{36}$/);
    const token = r.json.token;
    assert.equal(token.owner.kind, 'organization');
    assert.equal(token.owner.scope_id, orgA);
    assert.equal(token.owner.scope_name, 'Acme');
    assert.equal(token.status, 'active');
    assert.deepEqual(token.scopes.sort(), [`org:${orgA}:admin`, `org:${orgA}:user`]);
    assert.equal(await countUsers(), before + 1);
    const technical = await ok('GET', `/api/v1/users/${token.owner.id}`, { token: h.admin });
    assert.equal(technical.kind, 'technical');
    const members = await ok('GET', `/api/v1/orgs/${orgA}/members`, { token: orgAdmin.session });
    assert.ok(members.items.some((m: { user: { id: string; kind: string }; role: string }) => m.user.id === token.owner.id && m.user.kind === 'technical' && m.role === 'admin'));
    // A technical user cannot sign in, whatever password is tried or set.
    await ok('PATCH', `/api/v1/users/${token.owner.id}`, { token: h.admin, body: { password: 'a-password-123' } });
    assertProblem(await api('POST', '/api/v1/sessions', { body: { username: technical.username, password: 'a-password-123' } }), 401, 'invalid_credentials');
    const listed = await ok('GET', `/api/v1/orgs/${orgA}/tokens`, { token: orgAdmin.session });
    assert.ok(listed.items.some((t: { id: string }) => t.id === token.id));
    assert.ok(!JSON.stringify(listed).includes(r.json.secret));
  });

  test('rights follow the level: admin role → level admin, otherwise level user; reported by introspection', async () => {
    const orgAdminToken = await orgToken(orgA, { admin_role: true }, orgAdmin.session);
    const orgUserToken = await orgToken(orgA, { admin_role: false }, orgAdmin.session);
    const groupAdminToken = await groupToken(orgA, groupA, { admin_role: true }, groupAdmin.session);
    const groupUserToken = await groupToken(orgA, groupA, { admin_role: false }, groupAdmin.session);
    assert.deepEqual((await introspect(orgAdminToken.secret)).scope.split(' ').sort(), [`org:${orgA}:admin`, `org:${orgA}:user`]);
    assert.equal((await introspect(orgUserToken.secret)).scope, `org:${orgA}:user`);
    assert.deepEqual((await introspect(groupAdminToken.secret)).scope.split(' ').sort(), [`group:${groupA}:admin`, `group:${groupA}:user`]);
    assert.equal((await introspect(groupUserToken.secret)).scope, `group:${groupA}:user`);
    assert.equal(groupAdminToken.token.owner.kind, 'group');
    assert.equal(groupAdminToken.token.owner.scope_name, 'Platform');
    // Inside patkit these rights grant no API method: a leaked organisation token cannot mint tokens.
    const me = await ok('GET', '/api/v1/users/me', { token: orgAdminToken.secret });
    assert.equal(me.kind, 'technical');
    assertProblem(await api('GET', '/api/v1/tokens', { token: orgAdminToken.secret }), 403, 'insufficient_scope');
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/tokens`, { token: orgAdminToken.secret }), 403, 'insufficient_scope');
  });

  test('who manages what: org admins (org and its groups), group admins (their group), not org users', async () => {
    const groupTok = await groupToken(orgA, groupA, { admin_role: false }, orgAdmin.session);
    assert.equal((await ok('GET', `/api/v1/tokens/${groupTok.token.id}`, { token: groupAdmin.session })).id, groupTok.token.id);
    const orgTok = await orgToken(orgA, { admin_role: false }, orgAdmin.session);
    // The group admin is no organisation member: the org is known to them (via the group) but not manageable.
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/tokens`, { token: groupAdmin.session }), 403, 'forbidden');
    assertProblem(await api('POST', `/api/v1/tokens/${orgTok.token.id}/disable`, { token: groupAdmin.session }), 403, 'forbidden');
    // An organisation user neither lists nor creates nor changes.
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/tokens`, { token: orgUser.session }), 403, 'forbidden');
    assertProblem(await api('POST', `/api/v1/orgs/${orgA}/tokens`, { token: orgUser.session, body: { name: 'x', admin_role: false } }), 403, 'forbidden');
    assertProblem(await api('DELETE', `/api/v1/tokens/${orgTok.token.id}`, { token: orgUser.session }), 403, 'forbidden');
  });

  test('a user of organisation B acting on organisation A’s token ids gets 404 and changes nothing', async () => {
    const tok = await orgToken(orgA, { admin_role: true }, orgAdmin.session);
    const grp = await groupToken(orgA, groupA, { admin_role: true }, orgAdmin.session);
    for (const id of [tok.token.id, grp.token.id]) {
      assertProblem(await api('GET', `/api/v1/tokens/${id}`, { token: outsider.session }), 404, 'not_found');
      assertProblem(await api('POST', `/api/v1/tokens/${id}/disable`, { token: outsider.session }), 404, 'not_found');
      assertProblem(await api('POST', `/api/v1/tokens/${id}/enable`, { token: outsider.session }), 404, 'not_found');
      assertProblem(await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: outsider.session }), 404, 'not_found');
      assertProblem(await api('PATCH', `/api/v1/tokens/${id}`, { token: outsider.session, body: { name: 'mine' } }), 404, 'not_found');
      assertProblem(await api('DELETE', `/api/v1/tokens/${id}`, { token: outsider.session }), 404, 'not_found');
      assertProblem(await api('POST', '/api/v1/tokens/bulk-delete', { token: outsider.session, body: { ids: [id] } }), 404, 'not_found');
    }
    assert.equal((await introspect(tok.secret)).active, true);
    assert.equal((await introspect(grp.secret)).active, true);
    const ownList = await ok('GET', '/api/v1/tokens', { token: outsider.session });
    assert.equal(ownList.items.length, 0);
    assertProblem(await api('GET', `/api/v1/tokens?owner=${tok.token.owner.id}`, { token: outsider.session }), 403, 'insufficient_scope');
    assertProblem(await api('GET', '/api/v1/tokens?owner=all', { token: orgAdmin.session }), 403, 'insufficient_scope');
  });

  test('revoke = disable (temporary, status shows it); enable brings it back', async () => {
    const tok = await groupToken(orgA, groupA, { admin_role: true }, groupAdmin.session);
    assert.equal((await ok('GET', '/api/v1/users/me', { token: tok.secret })).kind, 'technical');
    const disabled = await ok('POST', `/api/v1/tokens/${tok.token.id}/disable`, { token: groupAdmin.session });
    assert.equal(disabled.status, 'disabled');
    assertProblem(await api('GET', '/api/v1/users/me', { token: tok.secret }), 401, 'token_disabled');
    const listed = await ok('GET', `/api/v1/orgs/${orgA}/groups/${groupA}/tokens`, { token: groupAdmin.session });
    assert.equal(listed.items.find((t: { id: string }) => t.id === tok.token.id).status, 'disabled');
    await ok('POST', `/api/v1/tokens/${tok.token.id}/enable`, { token: groupAdmin.session });
    assert.equal((await ok('GET', '/api/v1/users/me', { token: tok.secret })).kind, 'technical');
  });

  test('delete is permanent and the technical user goes with it; audited', async () => {
    const tok = await orgToken(orgA, { admin_role: false }, orgAdmin.session);
    const technicalId = tok.token.owner.id;
    assert.equal((await api('DELETE', `/api/v1/tokens/${tok.token.id}`, { token: orgAdmin.session })).status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: tok.secret }), 401, 'unauthorized');
    assertProblem(await api('GET', `/api/v1/users/${technicalId}`, { token: h.admin }), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/tokens/${tok.token.id}`, { token: orgAdmin.session }), 404, 'not_found');
    const members = await ok('GET', `/api/v1/orgs/${orgA}/members`, { token: orgAdmin.session });
    assert.ok(!members.items.some((m: { user: { id: string } }) => m.user.id === technicalId));
    const audit = await ok('GET', `/api/v1/audit?token_id=${tok.token.id}`, { token: h.admin });
    const actions = audit.items.map((e: { action: string }) => e.action);
    for (const action of ['user.created', 'token.created', 'token.deleted', 'user.deleted']) assert.ok(actions.includes(action), `${action} in ${actions}`);
    const created = audit.items.find((e: { action: string }) => e.action === 'token.created');
    assert.equal(created.actor.id, orgAdmin.id);
    assert.equal(created.detail.owner_kind, 'organization');
    assert.ok(!JSON.stringify(audit).includes(tok.secret));
    // Bulk delete also removes technical users.
    const a = await groupToken(orgA, groupA, { admin_role: false }, orgAdmin.session);
    const b = await groupToken(orgA, groupA, { admin_role: false }, orgAdmin.session);
    await ok('POST', '/api/v1/tokens/bulk-delete', { token: orgAdmin.session, body: { ids: [a.token.id, b.token.id] } });
    assertProblem(await api('GET', `/api/v1/users/${a.token.owner.id}`, { token: h.admin }), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/users/${b.token.owner.id}`, { token: h.admin }), 404, 'not_found');
  });

  test('one token per technical user: no clone, no second token made for it through /tokens', async () => {
    const tok = await orgToken(orgA, { admin_role: false }, orgAdmin.session);
    assertProblem(await api('POST', `/api/v1/tokens/${tok.token.id}/clone`, { token: orgAdmin.session }), 409, 'conflict');
    const forTechnical = await api('POST', '/api/v1/tokens', {
      token: h.admin,
      body: { name: 'sneaky', scopes: ['tokens:read'], owner_id: tok.token.owner.id },
    });
    assertProblem(forTechnical, 400, 'validation_failed');
    assert.equal((await api('DELETE', `/api/v1/tokens/${tok.token.id}`, { token: orgAdmin.session })).status, 204);
  });
});

describe('changes take effect at the next request (rule 8)', () => {
  test("lowering the token's admin role leaves it the user role; removing its membership stops it", async () => {
    const tok = await orgToken(orgA, { admin_role: true }, orgAdmin.session);
    const technicalId = tok.token.owner.id;
    await ok('PUT', `/api/v1/orgs/${orgA}/members/${technicalId}`, { token: h.admin, body: { role: 'user' } });
    assert.equal((await introspect(tok.secret)).scope, `org:${orgA}:user`);
    await ok('PUT', `/api/v1/orgs/${orgA}/members/${technicalId}`, { token: h.admin, body: { role: 'admin' } });
    assert.equal((await introspect(tok.secret)).scope.split(' ').length, 2);
    assert.equal((await api('DELETE', `/api/v1/orgs/${orgA}/members/${technicalId}`, { token: h.admin })).status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: tok.secret }), 401, 'membership_removed');
    assert.equal((await introspect(tok.secret)).active, false);
    // A technical user cannot be moved into another organisation.
    assertProblem(await api('PUT', `/api/v1/orgs/${orgB}/members/${technicalId}`, { token: h.admin, body: { role: 'admin' } }), 409, 'conflict');
  });

  test("removing a member's admin role or membership ends their management rights at once", async () => {
    const tess = await createUser(h, 'tess');
    await ok('PUT', `/api/v1/orgs/${orgA}/members/${tess.id}`, { token: h.admin, body: { role: 'admin' } });
    const tok = await orgToken(orgA, { admin_role: false }, tess.session);
    await ok('PUT', `/api/v1/orgs/${orgA}/members/${tess.id}`, { token: h.admin, body: { role: 'user' } });
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/tokens`, { token: tess.session }), 403, 'forbidden');
    assertProblem(await api('POST', `/api/v1/tokens/${tok.token.id}/disable`, { token: tess.session }), 403, 'forbidden');
    await ok('DELETE', `/api/v1/orgs/${orgA}/members/${tess.id}`, { token: h.admin }, 204);
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/tokens`, { token: tess.session }), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/tokens/${tok.token.id}`, { token: tess.session }), 404, 'not_found');
    // The token belongs to the organisation, not to the admin who created it.
    assert.equal((await introspect(tok.secret)).active, true);
    // The same through a personal access token of the member.
    const tom = await createUser(h, 'tom', ['system_user', 'user_access_token']);
    await ok('PUT', `/api/v1/orgs/${orgA}/groups/${groupA}/members/${tom.id}`, { token: h.admin, body: { role: 'admin' } });
    const pat = await createToken(h, { scopes: ['tokens:read', 'tokens:write'] }, tom.session);
    assert.equal((await api('GET', `/api/v1/orgs/${orgA}/groups/${groupA}/tokens`, { token: pat.secret })).status, 200);
    await ok('PUT', `/api/v1/orgs/${orgA}/groups/${groupA}/members/${tom.id}`, { token: h.admin, body: { role: 'user' } });
    assertProblem(await api('GET', `/api/v1/orgs/${orgA}/groups/${groupA}/tokens`, { token: pat.secret }), 403, 'forbidden');
  });

  test('deleting a group or an organisation deletes its tokens and technical users', async () => {
    const org = (await ok('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'Gone soon' } }, 201)).id;
    const group = (await ok('POST', `/api/v1/orgs/${org}/groups`, { token: h.admin, body: { name: 'G' } }, 201)).id;
    const group2 = (await ok('POST', `/api/v1/orgs/${org}/groups`, { token: h.admin, body: { name: 'G2' } }, 201)).id;
    const orgTok = await orgToken(org, { admin_role: true }, h.admin);
    const groupTok = await groupToken(org, group, { admin_role: true }, h.admin);
    const group2Tok = await groupToken(org, group2, { admin_role: false }, h.admin);
    assert.equal((await ok('GET', '/api/v1/users/me', { token: groupTok.secret })).kind, 'technical');
    assert.equal((await api('DELETE', `/api/v1/orgs/${org}/groups/${group}`, { token: h.admin })).status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: groupTok.secret }), 401, 'unauthorized');
    assertProblem(await api('GET', `/api/v1/users/${groupTok.token.owner.id}`, { token: h.admin }), 404, 'not_found');
    assert.equal((await ok('GET', '/api/v1/users/me', { token: orgTok.secret })).kind, 'technical');
    assert.equal((await api('DELETE', `/api/v1/orgs/${org}`, { token: h.admin })).status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: orgTok.secret }), 401, 'unauthorized');
    assertProblem(await api('GET', '/api/v1/users/me', { token: group2Tok.secret }), 401, 'unauthorized');
    assertProblem(await api('GET', `/api/v1/users/${orgTok.token.owner.id}`, { token: h.admin }), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/orgs/${org}`, { token: h.admin }), 404, 'not_found');
    const audit = await ok('GET', '/api/v1/audit?action=org.deleted', { token: h.admin });
    assert.equal(audit.items[0].detail.org_id, org);
    assert.equal(audit.items[0].detail.tokens, 2);
    const tokenAudit = await ok('GET', `/api/v1/audit?token_id=${orgTok.token.id}`, { token: h.admin });
    assert.ok(tokenAudit.items.some((e: { action: string; detail: { reason?: string } }) => e.action === 'token.deleted' && e.detail.reason === 'organization_deleted'));
  });
});

describe('bad input and policies', () => {
  test('wrong types, unknown fields, missing admin_role, bad dates: 400 and nothing changes', async () => {
    const users = await countUsers();
    const tokens = (await ok('GET', `/api/v1/orgs/${orgA}/tokens`, { token: h.admin })).items.length;
    const bodies: unknown[] = [
      { name: 'x' },
      { name: 'x', admin_role: 'yes' },
      { name: '', admin_role: true },
      { name: ['x'], admin_role: true },
      { name: 'x', admin_role: true, scopes: ['users:write'] },
      { name: 'x', admin_role: true, expires_at: 'tomorrow' },
      { name: 'x', admin_role: true, expires_at: '2001-01-01T00:00:00Z' },
      { name: 'x', admin_role: true, owner_id: h.adminId },
    ];
    for (const body of bodies) {
      const r = await api('POST', `/api/v1/orgs/${orgA}/tokens`, { token: orgAdmin.session, body });
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
      assert.equal(r.json.code, 'validation_failed');
    }
    assertProblem(await api('PUT', `/api/v1/orgs/${orgA}/members/${orgUser.id}`, { token: h.admin, body: { role: 'owner' } }), 400, 'validation_failed');
    assertProblem(await api('PUT', `/api/v1/orgs/${orgA}/members/usr_nobody`, { token: h.admin, body: { role: 'user' } }), 404, 'not_found');
    assertProblem(await api('POST', '/api/v1/orgs', { token: h.admin, body: { name: '   ' } }), 400, 'validation_failed');
    assertProblem(await api('POST', '/api/v1/orgs', { token: h.admin, body: { name: 'x', extra: 1 } }), 400, 'validation_failed');
    assertProblem(await api('DELETE', `/api/v1/orgs/${orgA}/members/${outsider.id}`, { token: h.admin }), 404, 'not_found');
    assert.equal(await countUsers(), users);
    assert.equal((await ok('GET', `/api/v1/orgs/${orgA}/tokens`, { token: h.admin })).items.length, tokens);
    assert.equal((await ok('GET', `/api/v1/orgs/${orgA}/members`, { token: h.admin })).items.find((m: { user: { id: string } }) => m.user.id === orgUser.id).role, 'user');
  });

  test('personal access tokens disabled: no organisation tokens either', async () => {
    const tok = await orgToken(orgA, { admin_role: false }, orgAdmin.session);
    await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { enable_personal_access_tokens: false } });
    try {
      assertProblem(await api('POST', `/api/v1/orgs/${orgA}/tokens`, { token: orgAdmin.session, body: { name: 'x', admin_role: false } }), 403, 'personal_access_tokens_disabled');
      assertProblem(await api('GET', '/api/v1/users/me', { token: tok.secret }), 401, 'personal_access_tokens_disabled');
    } finally {
      await ok('PATCH', '/api/v1/settings', { token: h.admin, body: { enable_personal_access_tokens: true } });
    }
  });

  test('the OpenAPI document lists the organisation routes with their schemas', async () => {
    const doc = await ok('GET', '/api/v1/openapi.json', {});
    for (const path of ['/api/v1/orgs', '/api/v1/orgs/{id}', '/api/v1/orgs/{id}/members/{user_id}', '/api/v1/orgs/{id}/groups/{gid}/tokens']) {
      assert.ok(doc.paths[path], path);
    }
    const create = doc.paths['/api/v1/orgs/{id}/tokens'].post;
    assert.ok(create.requestBody.content['application/json'].schema.properties.admin_role);
  });
});

describe('password policy', () => {
  test('creating an organisation token needs the password when the policy is on', async () => {
    const p = await startHarness({ passwordPolicy: true });
    try {
      const org = (await call(p.url, 'POST', '/api/v1/orgs', { token: p.admin, body: { name: 'P' } })).json.id;
      const bare = await call(p.url, 'POST', `/api/v1/orgs/${org}/tokens`, { token: p.admin, body: { name: 'x', admin_role: true } });
      assertProblem(bare, 403, 'password_confirmation_required');
      const withPassword = await call(p.url, 'POST', `/api/v1/orgs/${org}/tokens`, {
        token: p.admin,
        body: { name: 'x', admin_role: true, password: 'admin-password-for-tests' },
      });
      assert.equal(withPassword.status, 201, withPassword.text);
    } finally {
      await p.stop();
    }
  });
});

describe('demo data', () => {
  test('--demo seeds one organisation with one group, alice a member', async () => {
    const d = await startHarness({ demo: true });
    try {
      const alice = await call(d.url, 'POST', '/api/v1/sessions', { body: { username: 'alice', password: 'alice-demo-password' } });
      assert.equal(alice.status, 201);
      const orgs = await call(d.url, 'GET', '/api/v1/orgs', { token: alice.json.credential });
      assert.equal(orgs.json.items.length, 1);
      const org = orgs.json.items[0];
      const groups = await call(d.url, 'GET', `/api/v1/orgs/${org.id}/groups`, { token: alice.json.credential });
      assert.equal(groups.json.items.length, 1);
      assert.equal(groups.json.items[0].role, 'admin');
      const tokens = await call(d.url, 'GET', `/api/v1/orgs/${org.id}/groups/${groups.json.items[0].id}/tokens`, { token: alice.json.credential });
      assert.equal(tokens.status, 200);
      assert.deepEqual(tokens.json.items, []);
      const all = await call(d.url, 'GET', '/api/v1/orgs', { token: d.admin });
      assert.equal(all.json.items.length, 1);
    } finally {
      await d.stop();
    }
  });
});
