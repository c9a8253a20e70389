/**
 * The Gitea / Forgejo provider against a CONTRACT-BUILT STAND-IN (test/support/gitea-server.ts),
 * because a real Gitea cannot run here (Go binary, no npm package, no network).
 *
 * The contract is Gitea's official Swagger excerpt in `test/contracts/gitea/` and its notes.md: every
 * request the provider sends is checked against it (path, method, parameters, strict body schema,
 * auth scheme: Basic on the token routes, `token …` elsewhere, the OTP header only with Basic), and
 * every answer the stand-in gives against the declared response schema; `afterEach` fails a test
 * on any violation. Separately, every response shape in the excerpt is instantiated and parsed.
 * The journey: sign-in (password, token, 2FA), create with the password, with the one-time code,
 * list across pages (X-Total-Count and Link), delete, and 401 / 403 / 404 / 422 / 429 / offline.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { assertNoSecret } from '../../../../lib/cache/secret-guard.ts';
import { UnsupportedOperation } from '../../../../lib/errors.ts';
import {
  GiteaProvider,
  giteaDescriptor,
  giteaScopeCatalog,
  parseGiteaCurrentToken,
  parseGiteaToken,
  parseGiteaTokenList,
  parseGiteaUser,
  parseGiteaVersion,
} from '../../../../lib/providers/gitea/index.ts';
import { createProvider, providerKinds } from '../../../../lib/providers/registry.ts';
import { GiteaStandIn, type GiteaStandInUser } from '../../../support/gitea-server.ts';
import { SwaggerDocument, contractFile } from '../../../support/swagger2.ts';
import { assertLacks, rejectsWith } from '../../support/provider-error-assertions.ts';

const PW = 'Gitea-pw-1234';

describe('Gitea Swagger excerpt', () => {
  const spec = new SwaggerDocument(contractFile('gitea', 'tokens.swagger.excerpt.json'));

  test('every response shape in the excerpt parses through the provider', () => {
    const parsers: Record<string, (v: unknown) => unknown> = {
      userGetTokens: (v) => assert.equal(parseGiteaTokenList(v, 'list').length, 1),
      userCreateToken: (v) => assert.equal(parseGiteaToken(v, 'created').sha1, 'example-sha1'),
      userGetCurrent: (v) => assert.equal(parseGiteaUser(v, 'user').login, 'example-login'),
      adminSearchUsers: (v) => assert.equal((v as unknown[]).map((u) => parseGiteaUser(u, 'user')).length, 1),
      getVersion: (v) => assert.equal(parseGiteaVersion(v, 'version'), 'example-version'),
      getCurrentToken: (v) => assert.equal(parseGiteaCurrentToken(v, 'token').user?.login, 'example-login'),
    };
    const parsed: string[] = [];
    for (const op of spec.operations) {
      for (const status of [200, 201]) {
        const schema = spec.responseSchema(op, status);
        if (!schema) continue;
        const parse = parsers[op.operationId];
        assert.ok(parse, `${op.operationId} answers a shape the provider has no parser for`);
        parse(spec.example(schema));
        parsed.push(op.operationId);
      }
    }
    assert.deepEqual(parsed.sort(), Object.keys(parsers).sort());
    // Older servers (≤1.23) and Forgejo omit created_at / last_used_at: they parse as null.
    const old = parseGiteaToken({ id: 3, name: 'old', sha1: '', token_last_eight: 'abcd1234', scopes: ['all'] }, 'old');
    assert.equal(old.created_at, null);
    assert.throws(() => parseGiteaToken({ id: 'x', name: 'n' }, 't'), /"t.id" should be a number/);
    // Forgejo's AccessToken (modules/structs/user_app.go): no last_used_at, `repositories` for repository-limited tokens.
    const forgejo = parseGiteaToken({ id: 9, name: 'fj', sha1: '', token_last_eight: '12345678', scopes: ['read:repository'], created_at: '2026-05-01T10:00:00Z', repositories: null }, 'forgejo');
    assert.deepEqual([forgejo.created_at, forgejo.last_used_at], ['2026-05-01T10:00:00.000Z', null]);
  });

  test('the request check is not vacuous: wrong body fields, types, params and credentials in URLs are caught', () => {
    const check = (method: string, path: string, body: unknown, query = '', headers: Record<string, string> = {}): string[] =>
      spec.checkRequest({ method, pathname: path, query: new URLSearchParams(query), body, headers }).errors;
    assert.deepEqual(check('POST', '/api/v1/users/alice/tokens', { name: 'ci', scopes: ['read:user'] }), []);
    assert.match(check('POST', '/api/v1/users/alice/tokens', { name: 'ci', expires_at: 'x' }).join(), /expires_at: not in the schema/);
    assert.match(check('POST', '/api/v1/users/alice/tokens', { scopes: [] }).join(), /name: required/);
    assert.match(check('POST', '/api/v1/users/alice/tokens', { name: 5 }).join(), /expected string/);
    assert.match(check('GET', '/api/v1/users/alice/tokens', undefined, 'page=two').join(), /not an integer/);
    assert.match(check('GET', '/api/v1/users/alice/tokens', undefined, 'per_page=5').join(), /not in the spec/);
    assert.match(check('GET', '/api/v1/user', undefined, 'token=abc').join(), /credential in the query string/);
    assert.match(check('PATCH', '/api/v1/users/alice/tokens/3', {}).join(), /no such operation/);
    const used = spec.checkRequest({ method: 'GET', pathname: '/api/v1/user', query: new URLSearchParams(), body: undefined, headers: { authorization: 'Basic eDp5', 'x-gitea-otp': '1' } }).security;
    assert.deepEqual(used.sort(), ['AuthorizationHeaderToken', 'BasicAuth', 'TOTPHeader']);
  });

  test('the registry offers Gitea / Forgejo with a sentence on what it needs, and loads it on demand', async () => {
    const d = providerKinds().find((k) => k.kind === 'gitea');
    assert.deepEqual(d, giteaDescriptor);
    assert.match(d!.help, /password/);
    assert.ok((await createProvider('gitea', { baseUrl: 'https://git.example.test/' })) instanceof GiteaProvider);
  });

  test('scope catalog: read: and write: per area from the official list, plus presets of known scopes', () => {
    const catalog = giteaScopeCatalog();
    const ids = catalog.scopes.map((s) => s.id);
    for (const area of ['activitypub', 'admin', 'issue', 'misc', 'notification', 'organization', 'package', 'repository', 'user']) {
      assert.ok(ids.includes(`read:${area}`) && ids.includes(`write:${area}`), area);
    }
    for (const p of catalog.presets) for (const s of p.scopes) assert.ok(s === 'all' || ids.includes(s), `${p.id}: ${s}`);
  });
});

describe('Gitea provider: full journey on the stand-in', () => {
  let gitea: GiteaStandIn;
  let alice: GiteaStandInUser;
  let bob: GiteaStandInUser;
  let root: GiteaStandInUser;

  const provider = (credential: string | null = null): GiteaProvider => new GiteaProvider({ baseUrl: gitea.url, credential, timeoutMs: 5000 });

  async function signedIn(user: GiteaStandInUser, otp?: string): Promise<GiteaProvider> {
    const p = provider();
    await p.signIn({ kind: 'password', username: user.login, password: user.password, ...(otp ? { otp } : {}) });
    return p;
  }

  before(async () => {
    gitea = await GiteaStandIn.start({ maxResponseItems: 50 });
    alice = gitea.addUser('alice', PW, { full_name: 'Alice A.' });
    bob = gitea.addUser('bob', 'bob-pw-5678', { otp: '424242' });
    root = gitea.addUser('root', 'root-pw-9999', { is_admin: true });
  });
  after(() => gitea.stop());
  afterEach(() => {
    assert.deepEqual(gitea.violations, [], 'every request and answer matched the Swagger excerpt');
    gitea.violations.length = 0;
  });

  test('signs in with the password; capabilities say what Gitea cannot do', async () => {
    const p = provider();
    const s = await p.signIn({ kind: 'password', username: 'alice', password: PW });
    assert.equal(s.user.username, 'alice');
    assert.equal(s.user.display_name, 'Alice A.');
    assert.equal(s.expires_at, null);
    const caps = await p.refreshCapabilities();
    assert.equal(caps.expiry.mode, 'none');
    assert.deepEqual([caps.regenerate, caps.disable, caps.clone, caps.update, caps.bulkDelete], [false, false, false, false, false]);
    assert.equal(caps.passwordConfirmation, 'always');
    assert.equal(caps.scopes, 'custom');
    assert.deepEqual(caps.create, { allowed: true, reason: null });
    assert.equal(caps.createForOthers, false);
    // The password went as Basic auth, never in a URL.
    assert.ok(gitea.requests.filter((r) => r.operationId === 'userGetCurrent').every((r) => r.security.includes('BasicAuth')));
    // A restored credential (the extension's storage.session) works the same.
    assert.equal((await provider(s.credential).currentUser()).username, 'alice');
  });

  test('a password sign-in is never kept across browser restarts (it would store the password)', async () => {
    const p = provider();
    const sent = gitea.requests.length;
    await rejectsWith(p.signIn({ kind: 'password', username: 'alice', password: PW, remember: true }), 'validation_failed', /keeps a Gitea password sign-in only until the browser closes/);
    assert.equal(gitea.requests.length, sent, 'refused before sending the password anywhere');
    await rejectsWith(p.listTokens(), 'unauthorized');
    // A pasted token may be kept: it is a credential made for that.
    const t = gitea.addToken(alice, 'kept', ['read:user']);
    assert.equal((await p.signIn({ kind: 'token', token: t.token })).user.username, 'alice');
  });

  test('a password changed on the server since sign-in: the session’s list says sign in again (unauthorized), not "wrong password"', async () => {
    const erin = gitea.addUser('erin', 'erin-pw-old1');
    const p = await signedIn(erin);
    erin.password = 'erin-pw-new2';
    const e = await rejectsWith(p.listTokens(), 'unauthorized');
    assert.equal(e.status, 401);
    // In a confirmation the same 401 is the password field's fault.
    await rejectsWith(p.createToken({ name: 'x', scopes: ['read:user'] }, { password: 'erin-pw-old1' }), 'password_incorrect');
  });

  test('a wrong password is unauthorized and leaves the provider signed out', async () => {
    const p = provider();
    await rejectsWith(p.signIn({ kind: 'password', username: 'alice', password: 'nope' }), 'unauthorized', /user name or password/);
    await rejectsWith(p.listTokens(), 'unauthorized');
    await rejectsWith(p.signIn({ kind: 'password', username: '', password: '' }), 'validation_failed');
  });

  test('creates with the password from the confirmation; the secret only in the answer; deletes by id', async () => {
    const p = await signedIn(alice);
    await rejectsWith(p.createToken({ name: 'ci', scopes: ['read:repository'] }), 'password_confirmation_required');
    await rejectsWith(p.createToken({ name: 'ci', scopes: ['read:repository'] }, { password: 'wrong' }), 'password_incorrect');
    const created = await p.createToken({ name: 'ci', scopes: ['read:repository', 'write:issue'] }, { password: PW });
    assert.match(created.secret, /^[0-9a-f]{40}$/);
    assert.ok(gitea.accepts(created.secret));
    assert.equal(created.token.name, 'ci');
    assert.deepEqual(created.token.scopes, ['read:repository', 'write:issue']);
    assert.equal(created.token.expires_at, null);
    assert.equal(created.token.last4, created.secret.slice(-4));
    assert.equal(created.token.last_used_at, null, 'a fresh token was never used');
    assertNoSecret(created.token);
    assert.ok(!JSON.stringify(created.token).includes(created.secret));
    const createReq = gitea.requests.findLast((r) => r.operationId === 'userCreateToken')!;
    assert.deepEqual([createReq.status, createReq.security.includes('BasicAuth')], [201, true]);
    // Names are unique per user (400), and Gitea needs a scope.
    const dup = await rejectsWith(p.createToken({ name: 'ci', scopes: ['read:user'] }, { password: PW }), 'validation_failed', /already have a token with that name/);
    assert.equal(dup.fieldErrors[0]?.field, 'name');
    await rejectsWith(p.createToken({ name: 'none', scopes: [] }, { password: PW }), 'validation_failed', /at least one scope/);
    await rejectsWith(p.createToken({ name: 'bad', scopes: ['repo'] }, { password: PW }), 'validation_failed', /no scope repo/);
    // Tokens never expire on Gitea: a draft with an expiry is refused, not silently made eternal.
    await assert.rejects(p.createToken({ name: 'exp', scopes: ['read:user'], expires_at: new Date(Date.now() + 86_400_000).toISOString() }, { password: PW }), UnsupportedOperation);
    const listed = await p.listTokens();
    assert.ok(listed.items.some((t) => t.id === created.token.id));
    assert.ok(!JSON.stringify(listed).includes(created.secret), 'lists never carry the secret');
    await rejectsWith(p.deleteToken(created.token.id), 'password_confirmation_required');
    await p.deleteToken(created.token.id, { password: PW });
    assert.ok(!gitea.accepts(created.secret), 'deleted for real');
    await rejectsWith(p.deleteToken(created.token.id, { password: PW }), 'not_found');
  });

  test('2FA: sign-in, create and delete need the one-time code (X-Gitea-OTP); a missing or wrong code is otp_required', async () => {
    const p = provider();
    const missing = await rejectsWith(p.signIn({ kind: 'password', username: 'bob', password: bob.password }), 'otp_required', /one-time code/);
    assert.equal(missing.fieldErrors[0]?.field, 'otp');
    await rejectsWith(p.signIn({ kind: 'password', username: 'bob', password: bob.password, otp: '000000' }), 'otp_required', /not correct or has expired/);
    const s = await p.signIn({ kind: 'password', username: 'bob', password: bob.password, otp: '424242' });
    assert.equal(s.user.username, 'bob');
    // The extension hands the same credential back after sign-in: nothing sign-in learned is lost.
    p.setCredential(s.credential);
    await rejectsWith(p.createToken({ name: 'bob-ci', scopes: ['read:package'] }, { password: bob.password }), 'otp_required');
    const created = await p.createToken({ name: 'bob-ci', scopes: ['read:package'] }, { password: bob.password, otp: '424242' });
    assert.ok(gitea.accepts(created.secret));
    assert.equal(gitea.requests.findLast((r) => r.operationId === 'userCreateToken')?.otp, '424242');
    await rejectsWith(p.createToken({ name: 'x', scopes: ['read:user'] }, { password: bob.password, otp: 'abc' }), 'validation_failed', /6 digits/);
    await rejectsWith(p.deleteToken(created.token.id, { password: bob.password, otp: '111111' }), 'otp_required');
    await p.deleteToken(created.token.id, { password: bob.password, otp: '424242' });
    assert.ok(!gitea.accepts(created.secret));
  });

  test('2FA: the session’s own password requests (list) reuse the last accepted code while it is current, then ask for a new one', async () => {
    const p = provider();
    const s = await p.signIn({ kind: 'password', username: 'bob', password: bob.password, otp: '424242' });
    p.setCredential(s.credential);
    gitea.addToken(bob, 'bob-seeded', ['read:user']);
    assert.ok((await p.listTokens()).items.some((t) => t.name === 'bob-seeded'), 'listed with the sign-in code');
    assert.equal(gitea.requests.findLast((r) => r.operationId === 'userGetTokens')?.otp, '424242');
    const saved = GiteaProvider.otpReuseMs;
    GiteaProvider.otpReuseMs = 0;
    try {
      await rejectsWith(p.listTokens(), 'otp_required', /one-time code/);
      // Capabilities survive a lapsed code: sign-in already said who this is.
      assert.equal((await p.refreshCapabilities()).passwordConfirmation, 'always');
    } finally {
      GiteaProvider.otpReuseMs = saved;
    }
  });

  test('lists across pages: X-Total-Count decides the next page; newest first; every token once', async () => {
    const carol = gitea.addUser('carol', 'carol-pw-0000');
    for (let i = 0; i < 7; i++) gitea.addToken(carol, `t${i}`, ['read:user'], 1000 - i);
    const p = await signedIn(carol);
    const seen: string[] = [];
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await p.listTokens({ limit: 3, cursor });
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((t) => t.name));
      ids.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
    const limits = gitea.requests.filter((r) => r.operationId === 'userGetTokens').slice(-3);
    assert.equal(limits.length, 3);
    await rejectsWith(p.listTokens({ cursor: 'x' }), 'validation_failed');
    // getToken walks the pages to the last one.
    assert.equal((await p.getToken(ids.at(-1)!)).name, 't0');
    await rejectsWith(p.getToken('999999'), 'not_found');
  });

  test('lists across pages with a Link header where the server sends one', async () => {
    const linked = await GiteaStandIn.start({ sendLink: true, maxResponseItems: 2 });
    try {
      const dave = linked.addUser('dave', 'dave-pw-1111');
      for (let i = 0; i < 5; i++) linked.addToken(dave, `d${i}`, ['read:user'], 100 - i);
      const p = new GiteaProvider({ baseUrl: linked.url, timeoutMs: 5000 });
      await p.signIn({ kind: 'password', username: 'dave', password: 'dave-pw-1111' });
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        // Asks for 50; the server clamps to 2 and says where the next page is.
        const page = await p.listTokens({ cursor });
        names.push(...page.items.map((t) => t.name));
        cursor = page.next_cursor;
      } while (cursor !== null);
      assert.deepEqual(names, ['d4', 'd3', 'd2', 'd1', 'd0']);
      assert.deepEqual(linked.violations, []);
    } finally {
      await linked.stop();
    }
  });

  test('signed in with a token: Gitea lists no tokens for it (Basic only), so the token itself is shown; create still works with the password', async () => {
    const seeded = gitea.addToken(alice, 'pasted', ['read:user']);
    const p = provider();
    const s = await p.signIn({ kind: 'token', token: seeded.token });
    assert.equal(s.user.username, 'alice');
    const list = await p.listTokens();
    assert.deepEqual(list.items.map((t) => t.name), ['pasted']);
    assert.equal(list.items[0]!.id, String(seeded.id));
    assert.ok(gitea.requests.findLast((r) => r.operationId === 'getCurrentToken')?.security.includes('AuthorizationHeaderToken'));
    const created = await p.createToken({ name: 'from-token-session', scopes: ['read:user'] }, { password: PW });
    await p.deleteToken(created.token.id, { password: PW });
    // An older server has no /token: the provider says what to do instead.
    const old = await GiteaStandIn.start({ withoutSelfEndpoint: true });
    try {
      const u = old.addUser('alice', PW);
      const t = old.addToken(u, 'pasted');
      const q = new GiteaProvider({ baseUrl: old.url, timeoutMs: 5000 });
      await q.signIn({ kind: 'token', token: t.token });
      await rejectsWith(q.listTokens(), 'password_confirmation_required', /sign in to this server with your user name and password/);
    } finally {
      await old.stop();
    }
    await rejectsWith(provider().signIn({ kind: 'token', token: 'f'.repeat(40) }), 'unauthorized', /does not accept this token/);
  });

  test('403: a token without read:user, another user\u2019s tokens for a non-admin; site admins may', async () => {
    const narrow = gitea.addToken(alice, 'narrow', ['read:repository']);
    await rejectsWith(provider().signIn({ kind: 'token', token: narrow.token }), 'forbidden', /lacks the scope/);
    const p = await signedIn(alice);
    await rejectsWith(p.listTokens({ owner: 'root' }), 'forbidden', /site administrators/);
    const admin = await signedIn(root);
    assert.equal((await admin.refreshCapabilities()).createForOthers, true);
    const forAlice = await admin.createToken({ name: 'given-by-root', scopes: ['read:user'], owner_id: 'alice' }, { password: root.password });
    assert.equal(forAlice.token.owner.username, 'alice');
    assert.match(forAlice.token.id, /^alice\/\d+$/);
    assert.ok((await p.listTokens()).items.some((t) => t.name === 'given-by-root'));
    await admin.deleteToken(forAlice.token.id, { password: root.password });
    assert.ok(!gitea.accepts(forAlice.secret));
  });

  test('404, 422, 429, 5xx and offline map onto the error family with messages a user can act on', async () => {
    const p = await signedIn(alice);
    await rejectsWith(p.deleteToken('99999', { password: PW }), 'not_found');
    gitea.failNext = { status: 422, message: "multiple matches for token name 'x'" };
    await rejectsWith(p.deleteToken('1', { password: PW }), 'validation_failed', /multiple matches/);
    gitea.failNext = { status: 429, message: 'too many requests', headers: { 'retry-after': '30' } };
    const limited = await rejectsWith(p.createToken({ name: 'rl', scopes: ['read:user'] }, { password: PW }), 'rate_limited', /Wait a moment/);
    assert.equal(limited.retryAfter, 30);
    gitea.failNext = { status: 500, message: '' };
    await rejectsWith(p.createToken({ name: 'boom', scopes: ['read:user'] }, { password: PW }), 'server_error');
    gitea.failNext = { status: 401, message: 'basic authorization is not allowed while WebAuthn enrolled' };
    await rejectsWith(p.createToken({ name: 'wa', scopes: ['read:user'] }, { password: PW }), 'forbidden', /security key/);
    const offline = new GiteaProvider({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await rejectsWith(offline.signIn({ kind: 'password', username: 'a', password: 'b' }), 'offline', /cannot be reached/);
  });

  test('coverage: the journey used every token operation of the excerpt the provider speaks', () => {
    const used = new Set(gitea.requests.filter((r) => r.status < 400).map((r) => r.operationId));
    for (const id of ['userGetCurrent', 'userGetTokens', 'userCreateToken', 'userDeleteAccessToken', 'getCurrentToken']) assert.ok(used.has(id), id);
  });

  test('operations Gitea does not have are refused up front', async () => {
    const p = await signedIn(alice);
    assertLacks(p, ['regenerateToken', 'disableToken', 'enableToken', 'cloneToken', 'updateToken', 'bulkDeleteTokens', 'listUsers', 'getSettings', 'listRoles', 'setUserRoles', 'setUserActive', 'updateSettings', 'listAudit']);
    await assert.rejects(p.listTokens({ owner: 'all' }), UnsupportedOperation);
  });
});
