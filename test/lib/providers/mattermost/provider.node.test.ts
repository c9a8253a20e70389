/**
 * The Mattermost provider against a SPEC-BUILT STAND-IN (test/support/mattermost-server.ts),
 * because a real Mattermost cannot run here (Go + PostgreSQL, no npm package, no network).
 *
 * The contract is Mattermost's official OpenAPI excerpts in `test/contracts/mattermost/` (plus the
 * supplement in test/support for the calls they do not cover): every request the provider sends
 * is checked against them (path, method, query, strict body schema) and every answer the stand-in
 * gives is checked against the declared response schema; `afterEach` fails a test on any
 * violation. Separately, every response shape in the excerpts is instantiated and parsed by the
 * provider. The journey covers sign-in, own and admin lists with paging, search, create (with and
 * without expiry), disable, enable, rotate, revoke, the role manager, deactivation, 401, 403 and
 * the 501 of a server with personal access tokens disabled, on an 11.x and a 10.x server.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { assertNoSecret } from '../../../../lib/cache/secret-guard.ts';
import { DEFAULT_MESSAGES, UnsupportedOperation } from '../../../../lib/errors.ts';
import {
  MATTERMOST_TOKEN_ROLES,
  MattermostProvider,
  parseMattermostRole,
  parseMattermostRoleList,
  parseMattermostToken,
  parseMattermostTokenList,
  parseMattermostUser,
  parseMattermostVersion,
  parseStatusOk,
  toTokenMeta,
} from '../../../../lib/providers/mattermost/index.ts';
import { createProvider, providerKinds } from '../../../../lib/providers/registry.ts';
import { MattermostSpec, type Schema } from '../../../support/mattermost-spec.ts';
import { MattermostStandIn, type StandInUser } from '../../../support/mattermost-server.ts';
import { assertLacks, rejectsWith } from '../../support/provider-error-assertions.ts';

const PW = 'Sup3r-secret-pw';

describe('Mattermost OpenAPI excerpts', () => {
  test('every response shape in the excerpts parses through the provider', async () => {
    const spec = await MattermostSpec.load();
    const refName = (s: Schema): string | null => (typeof s['$ref'] === 'string' ? s['$ref'].replace('#/components/schemas/', '') : null);
    const parsed: string[] = [];
    for (const op of spec.operations.filter((o) => o.fromExcerpt)) {
      for (const status of ['200', '201']) {
        const schema = spec.responseSchema(op, Number(status));
        if (!schema) continue;
        const example = spec.example(schema);
        const item = schema['type'] === 'array' ? refName(schema['items'] as Schema) : null;
        const single = refName(schema);
        if (single === 'UserAccessToken' || single === 'UserAccessTokenSanitized') {
          const t = parseMattermostToken(example, op.operationId);
          const meta = toTokenMeta(t, { kind: 'user', id: t.user_id, username: 'u', display_name: '' });
          assert.equal(meta.id, t.id);
          assert.ok(!JSON.stringify(meta).includes('zyxwvutsrqponmlkjihgfedcba'), 'metadata never carries the secret');
        } else if (item === 'UserAccessTokenSanitized') {
          assert.equal(parseMattermostTokenList(example, op.operationId).length, 1);
        } else if (single === 'Role') {
          assert.equal(parseMattermostRole(example, op.operationId).name, 'example name');
        } else if (item === 'Role') {
          assert.equal(parseMattermostRoleList(example, op.operationId).length, 1);
        } else if (single === 'StatusOK') {
          parseStatusOk(example, op.operationId);
        } else {
          assert.fail(`${op.operationId} answers a shape the provider has no parser for: ${JSON.stringify(schema)}`);
        }
        parsed.push(`${op.operationId} ${status}`);
      }
    }
    // 7 token operations + roles/active + 5 role operations in the excerpts.
    assert.ok(parsed.length >= 13, `only ${parsed.length} answers parsed: ${parsed.join(', ')}`);
    for (const name of spec.excerptSchemaNames) {
      const example = spec.example({ $ref: `#/components/schemas/${name}` });
      if (name === 'Role') parseMattermostRole(example, name);
      else parseMattermostToken(example, name);
    }
    parseMattermostUser(spec.example({ $ref: '#/components/schemas/User' }), 'User');
  });

  test('the request check is not vacuous: unknown fields, wrong types and 11.x-only fields are caught', async () => {
    const spec = await MattermostSpec.load();
    const check = (method: string, pathname: string, body: unknown, v11 = true, query = ''): string[] =>
      spec.checkRequest({ method, pathname, query: new URLSearchParams(query), body }, { v11 }).errors;
    assert.deepEqual(check('POST', '/api/v4/users/abc/tokens', { description: 'ok' }), []);
    assert.match(check('POST', '/api/v4/users/abc/tokens', { description: 'ok', scopes: [] }).join(), /scopes: not in the schema/);
    assert.match(check('POST', '/api/v4/users/abc/tokens', { description: 5 }).join(), /expected string/);
    assert.match(check('POST', '/api/v4/users/abc/tokens', {}).join(), /description: required/);
    assert.deepEqual(check('POST', '/api/v4/users/abc/tokens', { description: 'ok', expires_at: 1 }), []);
    assert.match(check('POST', '/api/v4/users/abc/tokens', { description: 'ok', expires_at: 1 }, false).join(), /expires_at: not in the schema/);
    assert.match(check('POST', '/api/v4/users/tokens/rotate', { token_id: 'x' }, false).join(), /only exists on 11.x/);
    assert.match(check('GET', '/api/v4/users/abc/tokens', undefined, true, 'page=x').join(), /not an integer/);
    assert.match(check('GET', '/api/v4/users/abc/tokens', undefined, true, 'limit=5').join(), /not in the spec/);
    assert.match(check('DELETE', '/api/v4/users/tokens/abc', undefined).join(), /no such operation/);
    assert.equal(spec.find('POST', '/api/v4/users/tokens/revoke')?.op.operationId, 'RevokeUserAccessToken');
    assert.equal(spec.find('GET', '/api/v4/users/tokens')?.op.operationId, 'GetUserAccessTokens');
  });

  test('the registry offers Mattermost to the options page', async () => {
    assert.ok(providerKinds().some((d) => d.kind === 'mattermost' && d.signIn.includes('password') && d.signIn.includes('token')));
    assert.ok((await createProvider('mattermost', { baseUrl: 'https://chat.example.test/' })) instanceof MattermostProvider);
  });

  test('server versions from X-Version-Id and config', () => {
    assert.deepEqual(parseMattermostVersion('11.1.0.15473.0b2fa6.false'), { major: 11, minor: 1, patch: 0, raw: '11.1.0.15473.0b2fa6.false' });
    assert.equal(parseMattermostVersion('10.11')?.major, 10);
    assert.equal(parseMattermostVersion(''), null);
    assert.equal(parseMattermostVersion('dev'), null);
  });
});

describe('Mattermost provider: full journey on an 11.x stand-in', () => {
  let mm: MattermostStandIn;
  let admin: StandInUser;
  let alice: StandInUser;
  let bob: StandInUser;
  let carol: StandInUser;

  const provider = (credential: string | null = null): MattermostProvider =>
    new MattermostProvider({ baseUrl: mm.url, credential, timeoutMs: 5000 });

  async function signedIn(user: StandInUser): Promise<MattermostProvider> {
    const p = provider();
    await p.signIn({ kind: 'password', username: user.username, password: PW });
    return p;
  }

  before(async () => {
    mm = await MattermostStandIn.start({ version: '11.1.0' });
    admin = mm.addUser('sysadmin', PW, 'system_user system_admin', { first_name: 'Sys', last_name: 'Admin' });
    alice = mm.addUser('alice', PW, 'system_user system_user_access_token', { first_name: 'Alice', last_name: 'Liddell' });
    bob = mm.addUser('bob', PW, 'system_user');
    carol = mm.addUser('carol', PW, 'system_user custom_team_role_kept');
    mm.roles.set('custom_team_role_kept', { id: 'r1', name: 'custom_team_role_kept', display_name: 'kept', description: '', permissions: [], scheme_managed: true });
  });

  afterEach(() => {
    const violations = mm.violations.splice(0);
    mm.enableUserAccessTokens = true;
    assert.deepEqual(violations, [], 'every request and answer matches the OpenAPI excerpts');
  });

  after(async () => {
    await mm?.stop();
  });

  test('sign in: the session token comes from the Token header; sign out ends that session', async () => {
    const p = provider();
    const signed = await p.signIn({ kind: 'password', username: 'alice', password: PW });
    assert.equal(signed.user.username, 'alice');
    assert.equal(signed.user.display_name, 'Alice Liddell');
    assert.deepEqual(signed.user.roles, ['system_user', 'system_user_access_token']);
    assert.ok(signed.user.permissions.includes('create_user_access_token'));
    assert.ok(mm.accepts(signed.credential));
    await p.signOut();
    assert.ok(!mm.accepts(signed.credential), 'the session is gone on the server');
    await rejectsWith(p.listTokens(), 'unauthorized');

    // The extension's background hands the credential back with setCredential after signing in.
    const again = provider();
    const second = await again.signIn({ kind: 'password', username: 'alice', password: PW });
    again.setCredential(second.credential);
    await again.signOut();
    assert.ok(!mm.accepts(second.credential), 'still ended after setCredential with the same session');
  });

  test('a wrong password is a typed 401 with Mattermost’s own message', async () => {
    const error = await rejectsWith(provider().signIn({ kind: 'password', username: 'alice', password: 'wrong' }), 'unauthorized');
    assert.equal(error.status, 401);
    assert.equal(error.serverCode, 'api.user.login.invalid_credentials_email_username');
    assert.equal(error.message, 'Enter a valid email or username and/or password.');
  });

  test('capabilities: description only, no scopes, disable yes, no clone; expiry and rotate on 11.x; admin extras by permission', async () => {
    const p = await signedIn(alice);
    const caps = await p.refreshCapabilities();
    assert.equal(caps.names, false);
    assert.equal(caps.description, true);
    assert.equal(caps.scopes, 'none');
    assert.equal(caps.disable, true);
    assert.equal(caps.clone, false);
    assert.equal(caps.update, false);
    assert.equal(caps.regenerate, true);
    assert.equal(caps.expiry.mode, 'optional');
    assert.equal(caps.passwordConfirmation, 'never');
    assert.equal(caps.adminInventory, false);
    assert.equal(caps.roles, false);
    assert.equal(p.serverVersion?.major, 11);

    const a = await signedIn(admin);
    const adminCaps = await a.refreshCapabilities();
    assert.equal(adminCaps.adminInventory, true);
    assert.equal(adminCaps.search, true);
    assert.equal(adminCaps.roles, true);
    assert.equal(adminCaps.createForOthers, true);
    assert.equal(adminCaps.userActivation, true);

    mm.maxLifetimeDays = 30;
    const capped = await a.refreshCapabilities();
    assert.deepEqual(capped.expiry, { mode: 'required', maxLifetimeDays: 30, defaultLifetimeDays: null });
    mm.maxLifetimeDays = 0;
  });

  test('own tokens: create, disable, enable, rotate, revoke — each checked by what the server now accepts', async () => {
    const p = await signedIn(alice);
    const created = await p.createToken({ name: '', description: 'CI bot' });
    assert.equal(created.token.description, 'CI bot');
    assert.equal(created.token.name, 'CI bot');
    assert.equal(created.token.owner.username, 'alice');
    assert.equal(created.token.status, 'active');
    assert.equal(created.token.expires_at, null);
    assert.ok(!JSON.stringify(created.token).includes(created.secret));
    assert.ok(mm.accepts(created.secret), 'the new secret works');

    const listed = await p.listTokens();
    assert.ok(listed.items.some((t) => t.id === created.token.id && t.owner.username === 'alice'));
    // What the provider hands out passes the cache's metadata-only guard.
    assertNoSecret(created.token);
    for (const t of listed.items) assertNoSecret(t);

    const disabled = await p.disableToken(created.token.id);
    assert.equal(disabled.status, 'disabled');
    assert.ok(!mm.accepts(created.secret), 'a disabled token is refused');
    assert.equal((await p.listTokens({ status: 'disabled' })).items.length, 1);
    // A disabled token cannot be rotated (Mattermost answers 400).
    await rejectsWith(p.regenerateToken(created.token.id), 'validation_failed');

    const enabled = await p.enableToken(created.token.id);
    assert.equal(enabled.status, 'active');
    assert.ok(mm.accepts(created.secret));

    // A chosen expiry is refused up front (Mattermost's rotate keeps the token's own).
    await rejectsWith(p.regenerateToken(created.token.id, undefined, { expiresAt: null }), 'unsupported_operation');
    assert.ok(mm.accepts(created.secret));
    const rotated = await p.regenerateToken(created.token.id);
    assert.equal(rotated.token.id, created.token.id);
    assert.notEqual(rotated.secret, created.secret);
    assert.ok(!mm.accepts(created.secret), 'rotation kills the old secret at once');
    assert.ok(mm.accepts(rotated.secret));

    await p.deleteToken(created.token.id);
    assert.ok(!mm.accepts(rotated.secret), 'a revoked token is refused');
    assert.ok(!(await p.listTokens()).items.some((t) => t.id === created.token.id));
    await rejectsWith(p.getToken(created.token.id), 'not_found');
  });

  test('expiry on 11.x: sent as Unix ms, read back as ISO; the server policy maximum is enforced', async () => {
    const p = await signedIn(alice);
    const when = new Date(Date.now() + 7 * 86_400_000);
    when.setUTCMilliseconds(0);
    const created = await p.createToken({ name: 'week', expires_at: when.toISOString() });
    assert.equal(created.token.expires_at, when.toISOString());
    assert.equal((await p.getToken(created.token.id)).expires_at, when.toISOString());
    await rejectsWith(p.createToken({ name: 'past', expires_at: '2001-01-01T00:00:00.000Z' }), 'validation_failed');

    mm.maxLifetimeDays = 3;
    const tooLong = await rejectsWith(p.createToken({ name: 'long', expires_at: when.toISOString() }), 'validation_failed');
    assert.match(tooLong.message, /within 3 days/);
    mm.maxLifetimeDays = 0;
    await p.deleteToken(created.token.id);
  });

  test('a pasted token signs in, and signing out does not revoke it', async () => {
    const seed = mm.addToken(alice.id, 'pasted');
    const p = provider();
    const signed = await p.signIn({ kind: 'token', token: seed.token });
    assert.equal(signed.user.username, 'alice');
    await p.signOut();
    assert.ok(mm.accepts(seed.token));
    mm.tokens.delete(seed.id);
    await rejectsWith(provider().signIn({ kind: 'token', token: seed.token }), 'unauthorized');
  });

  test('401: a dead credential is "signed out", typed, with the server’s id', async () => {
    const p = provider('deadbeefdeadbeefdeadbeefde');
    const error = await rejectsWith(p.listTokens(), 'unauthorized');
    assert.equal(error.status, 401);
    assert.equal(error.serverCode, 'api.context.session_expired.app_error');
    await rejectsWith(provider().listTokens(), 'unauthorized');
  });

  test('403: no token role, other users’ tokens, the admin inventory and roles are refused, typed', async () => {
    const b = await signedIn(bob);
    const denied = await rejectsWith(b.createToken({ name: 'nope' }), 'forbidden');
    assert.equal(denied.serverCode, 'api.context.permissions.app_error');
    const a = await signedIn(alice);
    await rejectsWith(a.listTokens({ owner: 'all' }), 'forbidden');
    await rejectsWith(a.listTokens({ owner: 'all', text: 'bob' }), 'forbidden');
    await rejectsWith(a.listTokens({ owner: bob.id }), 'forbidden');
    await rejectsWith(a.setUserRoles(bob.id, ['system_user_access_token']), 'forbidden');
    await rejectsWith(a.createToken({ name: 'for bob', owner_id: bob.id }), 'forbidden');
  });

  test('501: with personal access tokens disabled, lists and create say so instead of failing', async () => {
    const p = await signedIn(alice);
    await p.listTokens(); // learns "enabled" and caches it
    mm.enableUserAccessTokens = false;
    // The cached setting is stale: the server's 501 itself is mapped.
    const fromServer = await rejectsWith(p.createToken({ name: 'x' }), 'feature_disabled');
    assert.equal(fromServer.status, 501);
    assert.equal(fromServer.message, 'Personal access tokens are disabled on this server.');

    const fresh = await signedIn(admin);
    const fromConfig = await rejectsWith(fresh.listTokens(), 'feature_disabled');
    assert.equal(fromConfig.message, DEFAULT_MESSAGES.feature_disabled);
    assert.equal((await fresh.getSettings()).enable_personal_access_tokens, false);

    const before = mm.tokens.size;
    await rejectsWith(fresh.createToken({ name: 'x' }, { acknowledge_admin_token: true }), 'feature_disabled');
    assert.equal(mm.tokens.size, before);

    // A system admin can switch the feature on from patkit.
    const settings = await fresh.updateSettings({ enable_personal_access_tokens: true });
    assert.equal(settings.enable_personal_access_tokens, true);
    assert.equal(mm.enableUserAccessTokens, true);
    await fresh.listTokens();
  });

  test('admins: inventory of all tokens with paging, search, per-user lists, owners by username', async () => {
    for (let i = 0; i < 5; i++) mm.addToken(bob.id, `bob token ${i}`);
    mm.addToken(carol.id, 'carol token');
    const a = await signedIn(admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await a.listTokens({ owner: 'all', limit: 2, cursor });
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null && pages < 20);
    assert.equal(new Set(seen).size, mm.tokens.size, 'paging visits every token exactly once');
    assert.ok(pages >= 3);

    const all = await a.listTokens({ owner: 'all', limit: 200 });
    const bobs = all.items.filter((t) => t.owner.id === bob.id);
    assert.equal(bobs.length, 5);
    assert.ok(bobs.every((t) => t.owner.username === 'bob'), 'owners resolved to usernames');

    const search = await a.listTokens({ owner: 'all', text: 'carol' });
    assert.deepEqual(search.items.map((t) => t.description), ['carol token']);
    assert.equal(search.next_cursor, null);

    const perUser = await a.listTokens({ owner: bob.id, limit: 3 });
    assert.equal(perUser.items.length, 3);
    assert.equal(perUser.next_cursor, '1');
    const rest = await a.listTokens({ owner: bob.id, limit: 3, cursor: perUser.next_cursor });
    assert.equal(rest.items.length, 2);
    assert.equal(rest.next_cursor, null);

    await rejectsWith(a.listTokens({ owner: 'all', cursor: 'not-a-page' }), 'validation_failed');
  });

  test('admins: tokens for others; a token with System Admin rights needs the explicit acknowledgement', async () => {
    const a = await signedIn(admin);
    const forBob = await a.createToken({ name: 'made for bob', owner_id: bob.id });
    assert.equal(forBob.token.owner.username, 'bob');
    assert.ok(mm.accepts(forBob.secret));

    const before = mm.tokens.size;
    const ack = await rejectsWith(a.createToken({ name: 'root' }), 'admin_token_acknowledgement_required');
    assert.match(ack.message, /System Admin permissions/);
    assert.equal(mm.tokens.size, before, 'nothing was created');
    const root = await a.createToken({ name: 'root' }, { acknowledge_admin_token: true });
    assert.equal(root.token.owner.username, 'sysadmin');
    await a.deleteToken(root.token.id);
    await a.deleteToken(forBob.token.id);
  });

  test('role manager: edits the three token roles and keeps every other role (PUT replaces all)', async () => {
    const a = await signedIn(admin);
    const roles = await a.listRoles();
    assert.deepEqual(roles.map((r) => r.id), [...MATTERMOST_TOKEN_ROLES]);
    assert.equal(roles[0]?.name, 'Allow this account to generate personal access tokens');
    assert.deepEqual(roles.map((r) => r.name).slice(1), ['post:all', 'post:channels']);
    assert.ok(roles[0]?.permissions.includes('create_user_access_token'));

    let user = await a.setUserRoles(carol.id, ['system_user_access_token', 'system_post_all']);
    assert.equal(mm.users.get(carol.id)?.roles, 'system_user custom_team_role_kept system_user_access_token system_post_all');
    assert.deepEqual(user.roles, ['system_user', 'custom_team_role_kept', 'system_user_access_token', 'system_post_all']);
    assert.ok(user.permissions.includes('create_user_access_token'));

    // Carol can now create a token herself.
    const c = await signedIn(carol);
    const created = await c.createToken({ name: 'carol' });
    assert.ok(mm.accepts(created.secret));

    user = await a.setUserRoles(carol.id, ['system_post_all_public']);
    assert.equal(mm.users.get(carol.id)?.roles, 'system_user custom_team_role_kept system_post_all_public');
    // Passing the user's whole role list back (as a UI might) changes nothing else.
    user = await a.setUserRoles(carol.id, [...user.roles.filter((r) => r !== 'system_post_all_public'), 'system_post_all']);
    assert.equal(mm.users.get(carol.id)?.roles, 'system_user custom_team_role_kept system_post_all');

    const before = mm.users.get(carol.id)?.roles;
    await rejectsWith(a.setUserRoles(carol.id, ['system_admin']), 'validation_failed');
    assert.equal(mm.users.get(carol.id)?.roles, before, 'an unmanaged role is never granted');

    // The admin's own system_admin role survives edits of the token roles.
    await a.setUserRoles(admin.id, ['system_post_all']);
    assert.equal(mm.users.get(admin.id)?.roles, 'system_user system_admin system_post_all');
    await a.setUserRoles(admin.id, []);
    assert.equal(mm.users.get(admin.id)?.roles, 'system_user system_admin');
  });

  test('deactivating a user stops their tokens; reactivating brings them back', async () => {
    const a = await signedIn(admin);
    const t = mm.addToken(bob.id, 'bob bot');
    assert.ok(mm.accepts(t.token));
    const off = await a.setUserActive(bob.id, false);
    assert.equal(off.active, false);
    assert.ok(!mm.accepts(t.token));
    const on = await a.setUserActive(bob.id, true);
    assert.equal(on.active, true);
    assert.ok(mm.accepts(t.token));
  });

  test('users: paged list and search', async () => {
    const a = await signedIn(admin);
    const first = await a.listUsers({ limit: 3 });
    assert.equal(first.items.length, 3);
    assert.equal(first.next_cursor, '1');
    const second = await a.listUsers({ limit: 3, cursor: first.next_cursor });
    assert.equal(second.items.length, 1);
    assert.equal(second.next_cursor, null);
    const found = await a.listUsers({ text: 'ali' });
    assert.deepEqual(found.items.map((u) => u.username), ['alice']);
    assert.ok(found.items[0]?.permissions.includes('read_user_access_token'));
  });

  test('what Mattermost cannot do is refused up front, typed', async () => {
    const p = await signedIn(alice);
    const before = mm.requests.length;
    await assert.rejects(p.createToken({ name: 'x', scopes: ['posts:write'] }), UnsupportedOperation);
    assertLacks(p, ['updateToken', 'cloneToken', 'bulkDeleteTokens', 'listAudit']);
    await rejectsWith(p.createToken({ name: '' }), 'validation_failed');
    await rejectsWith(p.createToken({ name: 'x'.repeat(256) }), 'validation_failed');
    assert.equal(mm.requests.length, before, 'nothing was sent');
    assert.deepEqual(await p.scopeCatalog(), { scopes: [], presets: [] });
  });

  test('coverage: the journey used every token, role and activation operation of the excerpts', () => {
    const used = new Set(mm.requests.filter((r) => r.status < 300).map((r) => r.operationId));
    const excerptOps = mm.spec.operations.filter((o) => o.fromExcerpt && o.source !== 'roles.yaml').map((o) => o.operationId);
    const missing = excerptOps.filter((id) => !used.has(id));
    assert.deepEqual(missing, []);
    assert.ok(used.has('GetRolesByNames'));
    assert.ok(used.has('RotateUserAccessToken'));
  });
});

describe('Mattermost provider on a 10.x stand-in (no expiry, no rotate)', () => {
  let mm: MattermostStandIn;
  let alice: StandInUser;

  before(async () => {
    mm = await MattermostStandIn.start({ version: '10.11.3' });
    alice = mm.addUser('alice', PW, 'system_user system_user_access_token');
  });

  afterEach(() => {
    assert.deepEqual(mm.violations.splice(0), []);
  });

  after(async () => {
    await mm?.stop();
  });

  test('capabilities follow the version; expiry and rotate are refused before any request', async () => {
    const p = new MattermostProvider({ baseUrl: mm.url });
    const anonymous = await p.refreshCapabilities();
    assert.equal(anonymous.expiry.mode, 'none');
    await p.signIn({ kind: 'password', username: 'alice', password: PW });
    const caps = await p.refreshCapabilities();
    assert.equal(caps.expiry.mode, 'none');
    assert.equal(caps.regenerate, false);
    assert.equal(p.serverVersion?.major, 10);

    const created = await p.createToken({ name: 'plain' });
    assert.equal(created.token.expires_at, null);
    assert.ok(mm.accepts(created.secret));

    const before = mm.requests.length;
    const noExpiry = await p.createToken({ name: 'x', expires_at: new Date(Date.now() + 86_400_000).toISOString() }).catch((e: unknown) => e);
    assert.ok(noExpiry instanceof UnsupportedOperation);
    assert.match(noExpiry.message, /Mattermost 10\.11 servers cannot give tokens an expiry date/);
    await assert.rejects(p.regenerateToken(created.token.id), UnsupportedOperation);
    assert.equal(mm.requests.length, before, 'nothing was sent');
    assert.equal(mm.tokens.get(created.token.id)?.user_id, alice.id);
  });
});

describe('Mattermost provider on an early 11.x stand-in (version 11, but no expiry field and no rotate route)', () => {
  let mm: MattermostStandIn;

  before(async () => {
    mm = await MattermostStandIn.start({ version: '11.0.2', withoutExpiryAndRotation: true });
    mm.addUser('alice', PW, 'system_user system_user_access_token');
  });

  afterEach(() => {
    assert.deepEqual(mm.violations.splice(0), []);
  });

  after(async () => {
    await mm?.stop();
  });

  test('an ignored expiry never leaves a never-expiring token behind; a missing rotate route is "unsupported", not "not found"', async () => {
    const p = new MattermostProvider({ baseUrl: mm.url });
    await p.signIn({ kind: 'password', username: 'alice', password: PW });
    assert.equal((await p.refreshCapabilities()).expiry.mode, 'optional', 'the version alone promises expiry');

    const asked = await p.createToken({ name: 'x', expires_at: new Date(Date.now() + 86_400_000).toISOString() }).catch((e: unknown) => e);
    assert.ok(asked instanceof UnsupportedOperation, String(asked));
    assert.match(asked.message, /Mattermost 11\.0 servers cannot give tokens an expiry date/);
    assert.equal(mm.tokens.size, 0, 'the token the server made without expiry was revoked again');
    assert.equal(p.capabilities.expiry.mode, 'none', 'capabilities now say so');

    const plain = await p.createToken({ name: 'plain' });
    const rotated = await p.regenerateToken(plain.token.id).catch((e: unknown) => e);
    assert.ok(rotated instanceof UnsupportedOperation, String(rotated));
    assert.equal(p.capabilities.regenerate, false);
    assert.ok(mm.accepts(plain.secret), 'the token is untouched');
    const caps = await p.refreshCapabilities();
    assert.equal(caps.expiry.mode, 'none');
    assert.equal(caps.regenerate, false);
  });
});
