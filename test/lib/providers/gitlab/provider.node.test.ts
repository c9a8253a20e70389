/**
 * The GitLab provider against a CONTRACT-BUILT STAND-IN (test/support/gitlab-server.ts), because a
 * real GitLab cannot run here (Rails + PostgreSQL + Redis + Gitaly, no npm package, no network).
 *
 * The contract is GitLab's official OpenAPI v2 excerpt in `test/contracts/gitlab/`, its notes.md (for
 * fields newer than the 2024 spec: `description`, `last_used_ips`, rotate's 200) and the docs'
 * examples there: every request the provider sends is checked against the excerpt (path, method,
 * parameters, strict body, the PRIVATE-TOKEN header) and every answer against the declared schema;
 * `afterEach` fails a test on any violation. Every documented example body parses. The journey:
 * sign-in, capabilities for admins and non-admins, admin inventory with user filter, search and
 * state, paging, get, create for another user, rotate (old value dead at once), self-rotate, revoke,
 * group and project access tokens through the organisation methods, and 401/403/404/400/429/offline.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import { assertNoSecret } from '../../../../lib/cache/secret-guard.ts';
import { UnsupportedOperation } from '../../../../lib/errors.ts';
import {
  GitLabProvider,
  gitlabDescriptor,
  gitlabError,
  gitlabScopeCatalog,
  gitlabTokensPage,
  parseGitLabAssociations,
  parseGitLabMetadata,
  parseGitLabToken,
  parseGitLabTokenList,
  parseGitLabUser,
  parseGitLabUserList,
  parseTokenRef,
} from '../../../../lib/providers/gitlab/index.ts';
import { createProvider, providerKinds } from '../../../../lib/providers/registry.ts';
import { GitLabStandIn, type GitLabStandInUser } from '../../../support/gitlab-server.ts';
import { SwaggerDocument, contractFile } from '../../../support/swagger2.ts';
import { assertLacks, rejectsWith } from '../../support/provider-error-assertions.ts';

const inDays = (d: number): string => new Date(Date.now() + d * 86_400_000).toISOString();

describe('GitLab OpenAPI excerpt and documented examples', () => {
  const spec = new SwaggerDocument(contractFile('gitlab', 'tokens.openapi_v2.excerpt.yaml'));

  test('every response shape in the excerpt parses through the provider', () => {
    const parsed: string[] = [];
    for (const op of spec.operations) {
      for (const status of [200, 201]) {
        const schema = spec.responseSchema(op, status);
        if (!schema) continue;
        const example = spec.example(schema);
        const ref = String((schema['items'] as Record<string, unknown> | undefined)?.['$ref'] ?? schema['$ref'] ?? '');
        if (op.operationId === 'getApiV4PersonalAccessTokensSelfAssociations') parseGitLabAssociations({}, op.operationId);
        else if (/AccessToken/.test(ref) && schema['type'] === 'array') assert.equal(parseGitLabTokenList(example, op.operationId).length, 1);
        else if (/AccessToken/.test(ref)) assert.equal(parseGitLabToken(example, op.operationId).id, 7);
        else if (/User/.test(ref)) assert.equal(parseGitLabUser(example, op.operationId).username, 'example-username');
        else if (/Metadata/.test(ref)) assert.equal(parseGitLabMetadata(example, op.operationId).version, 'example-version');
        else assert.fail(`${op.operationId} answers ${ref}, which the provider has no parser for`);
        parsed.push(op.operationId);
      }
    }
    assert.ok(parsed.length >= 18, parsed.join(', '));
  });

  test('every documented example body (docs fixtures, 17.x and 19.x) parses', () => {
    const fixtures = JSON.parse(readFileSync(contractFile('gitlab', 'gitlab-tokens.fixtures.json'), 'utf8')) as {
      endpoints: Array<{ id: string; path: string; response_body?: unknown }>;
      errors: Array<{ status: number; response_body: unknown }>;
    };
    let count = 0;
    for (const f of fixtures.endpoints) {
      if (f.response_body == null) continue;
      if (/\/associations/.test(f.path)) parseGitLabAssociations(f.response_body, f.id);
      else if (/\/users?$|\/users\?/.test(f.path) || /\/user$/.test(f.path)) (Array.isArray(f.response_body) ? parseGitLabUserList : parseGitLabUser)(f.response_body, f.id);
      else if (/metadata/.test(f.path)) parseGitLabMetadata(f.response_body, f.id);
      else if (Array.isArray(f.response_body)) parseGitLabTokenList(f.response_body, f.id);
      else parseGitLabToken(f.response_body, f.id);
      count++;
    }
    assert.ok(count >= 30, `${count} examples`);
    const ips = parseGitLabTokenList(fixtures.endpoints.find((f) => f.path.includes('created_before'))!.response_body, 'ips');
    assert.deepEqual(ips[0]!.last_used_ips, ['192.0.2.10']);
    // Documented error bodies map onto the family.
    const codes = fixtures.errors.map((e) => gitlabError({ status: e.status, body: e.response_body, headers: new Headers() }).code);
    assert.deepEqual(codes, ['unauthorized', 'forbidden', 'forbidden', 'not_found', 'validation_failed', 'validation_failed']);
    const scope = gitlabError({ status: 403, body: fixtures.errors[2]!.response_body, headers: new Headers() });
    assert.match(scope.message, /lacks the sudo scope/);
    const field = gitlabError({ status: 400, body: fixtures.errors[5]!.response_body, headers: new Headers() });
    assert.deepEqual(field.fieldErrors, [{ field: 'bio', message: 'is too long (maximum is 255 characters)' }]);
  });

  test('the request check is not vacuous', () => {
    const check = (method: string, path: string, body: unknown, query = '', headers: Record<string, string> = { 'private-token': 'x' }): string[] =>
      spec.checkRequest({ method, pathname: path, query: new URLSearchParams(query), body, headers }).errors;
    assert.deepEqual(check('POST', '/api/v4/groups/5/access_tokens', { name: 'n', scopes: ['api'], expires_at: '2027-01-01', access_level: 30 }), []);
    assert.match(check('POST', '/api/v4/groups/5/access_tokens', { name: 'n', scopes: ['api'] }).join(), /expires_at: required/);
    assert.match(check('POST', '/api/v4/groups/5/access_tokens', { name: 'n', scopes: ['api'], expires_at: '2027-01-01', access_level: 35 }).join(), /not one of/);
    assert.match(check('POST', '/api/v4/personal_access_tokens/3/rotate', { expires_at: '2027-01-01T00:00:00Z' }).join(), /not a YYYY-MM-DD date/);
    assert.match(check('GET', '/api/v4/personal_access_tokens', undefined, 'user_id=abc').join(), /not an integer/);
    assert.match(check('GET', '/api/v4/personal_access_tokens', undefined, 'private_token=abc').join(), /credential in the query string/);
    assert.match(check('GET', '/api/v4/personal_access_tokens/x', undefined).join(), /not an integer/);
    assert.match(check('POST', '/api/v4/users/3/personal_access_tokens', { name: 'n', scopes: ['api'], description: 'd' }).join(), /description: not in the schema/);
  });

  test('the registry offers GitLab with the api-scope sentence; token ids and the GitLab page', async () => {
    const d = providerKinds().find((k) => k.kind === 'gitlab');
    assert.deepEqual(d, gitlabDescriptor);
    assert.deepEqual(d!.signIn, ['token']);
    assert.match(d!.help, /api scope/);
    assert.ok((await createProvider('gitlab', { baseUrl: 'https://gitlab.example.test/' })) instanceof GitLabProvider);
    assert.deepEqual(parseTokenRef('group:7:42'), { level: 'group', resource: '7', id: '42' });
    assert.throws(() => parseTokenRef('group:x:1'), /not a GitLab token id/);
    assert.equal(gitlabTokensPage('https://gitlab.example.test'), 'https://gitlab.example.test/-/user_settings/personal_access_tokens');
    const ids = gitlabScopeCatalog().scopes.map((s) => s.id);
    for (const s of ['api', 'read_api', 'read_user', 'read_repository', 'write_repository', 'read_registry', 'write_registry', 'self_rotate', 'k8s_proxy', 'sudo', 'admin_mode']) assert.ok(ids.includes(s), s);
  });
});

describe('GitLab provider: full journey on the stand-in', () => {
  let gl: GitLabStandIn;
  let root: GitLabStandInUser;
  let alice: GitLabStandInUser;
  let bob: GitLabStandInUser;

  const provider = (credential: string | null = null): GitLabProvider => new GitLabProvider({ baseUrl: gl.url, credential, timeoutMs: 5000 });
  async function signedIn(user: GitLabStandInUser, scopes: string[] = ['api']): Promise<GitLabProvider> {
    const p = provider();
    await p.signIn({ kind: 'token', token: gl.addToken(user, `signin-${user.username}`, scopes).token });
    return p;
  }

  before(async () => {
    gl = await GitLabStandIn.start();
    root = gl.addUser('root', { is_admin: true, name: 'Administrator' });
    alice = gl.addUser('alice', { name: 'Alice' });
    bob = gl.addUser('bob', { name: 'Bob' });
  });
  after(() => gl.stop());
  afterEach(() => {
    assert.deepEqual(gl.violations, [], 'every request and answer matched the OpenAPI excerpt');
    gl.violations.length = 0;
  });

  test('sign-in with a PAT only; a non-admin may not create through the API and is sent to GitLab\u2019s page', async () => {
    await rejectsWith(provider().signIn({ kind: 'password', username: 'alice', password: 'x' }), 'validation_failed', /no password sign-in/);
    await rejectsWith(provider().signIn({ kind: 'token', token: 'glpat-doesnotexist000000' }), 'unauthorized', /does not accept this token/);
    const p = await signedIn(alice);
    const caps = p.capabilities;
    assert.equal(caps.create.allowed, false);
    assert.match(caps.create.reason!, /only administrators/);
    assert.ok(caps.create.reason!.includes(`${gl.url}/-/user_settings/personal_access_tokens`));
    assert.deepEqual([caps.disable, caps.clone, caps.bulkDelete, caps.update], [false, false, false, false]);
    assert.deepEqual([caps.regenerate, caps.lastUsed, caps.orgTokens, caps.adminInventory], [true, true, true, false]);
    assert.equal(caps.expiry.mode, 'required');
    await rejectsWith(p.createToken({ name: 'nope', scopes: ['api'] }), 'forbidden', /only administrators/);
    // The one token a non-admin may create through the API: k8s_proxy only, for themselves.
    const k8s = await p.createToken({ name: 'k8s', scopes: ['k8s_proxy'] });
    assert.ok(gl.accepts(k8s.secret));
    // A read_api token: creating and rotating are withheld up front, with the reason.
    const reader = await signedIn(alice, ['read_api']);
    assert.match(reader.capabilities.create.reason!, /lacks the api scope/);
    assert.equal(reader.capabilities.regenerate, false);
    await rejectsWith(reader.deleteToken(k8s.token.id), 'forbidden', /lacks the api scope/);
  });

  test('admins: create for another user (expiry, scopes, description), list with user filter, search, state; get; last-used IPs', async () => {
    const admin = await signedIn(root);
    assert.equal(admin.capabilities.create.allowed, true);
    assert.equal(admin.capabilities.createForOthers, true);
    const expires = inDays(10);
    const created = await admin.createToken({ name: 'deploy', description: 'for CI', scopes: ['read_repository', 'read_registry'], expires_at: expires, owner_id: String(bob.id) });
    assert.match(created.secret, /^glpat-/);
    assert.equal(created.token.owner.id, String(bob.id));
    assert.equal(created.token.expires_at, `${expires.slice(0, 10)}T00:00:00.000Z`);
    assert.equal(created.token.description, 'for CI');
    assertNoSecret(created.token);
    const body = gl.requests.findLast((r) => r.operationId === 'postApiV4UsersUserIdPersonalAccessTokens')!.body as Record<string, unknown>;
    assert.equal(body['expires_at'], expires.slice(0, 10));
    const bobs = await admin.listTokens({ owner: String(bob.id) });
    assert.deepEqual(bobs.items.map((t) => t.name), ['deploy']);
    assert.ok(!JSON.stringify(bobs).includes(created.secret));
    const all = await admin.listTokens({ owner: 'all' });
    assert.ok(all.items.some((t) => t.owner.id === String(alice.id)) && all.items.some((t) => t.owner.id === String(bob.id)));
    assert.deepEqual((await admin.listTokens({ owner: 'all', text: 'deplo' })).items.map((t) => t.id), [created.token.id]);
    // Users for the owner picker (humans only: no bot users).
    assert.deepEqual((await admin.listUsers({ text: 'bo' })).items.map((u) => u.username), ['bob']);
    // Bob uses it: GitLab records the time and the IP.
    const asBob = provider(created.secret);
    await asBob.listTokens().catch(() => undefined);
    const got = await admin.getToken(created.token.id);
    assert.ok(got.last_used_at !== null);
    assert.equal(got.last_used_ip, '127.0.0.1');
    assert.deepEqual(got.extra?.['last_used_ips'], ['127.0.0.1']);
    await rejectsWith(admin.createToken({ name: 'forever', scopes: ['api'], expires_at: null }), 'validation_failed', /must expire/);
    await rejectsWith(admin.createToken({ name: 'past', scopes: ['api'], expires_at: inDays(-2) }), 'validation_failed', /after today/);
    // A non-admin asking for someone else's tokens gets GitLab's 401, which is not a dead credential.
    const p = await signedIn(alice);
    await rejectsWith(p.listTokens({ owner: String(bob.id) }), 'unauthorized');
  });

  test('paging follows x-next-page; status filters map to state and revoked', async () => {
    const carol = gl.addUser('carol');
    for (let i = 0; i < 5; i++) gl.addToken(carol, `c${i}`);
    const p = await signedIn(carol);
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await p.listTokens({ limit: 2, cursor });
      names.push(...page.items.map((t) => t.name));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(names.sort(), ['c0', 'c1', 'c2', 'c3', 'c4', 'signin-carol']);
    const first = (await p.listTokens({ text: 'c0' })).items[0]!;
    await p.deleteToken(first.id);
    // Revoked is deleted as far as the list goes; asked for, it is there as disabled.
    assert.ok(!(await p.listTokens()).items.some((t) => t.id === first.id));
    assert.deepEqual((await p.listTokens({ status: 'disabled' })).items.map((t) => [t.name, t.status]), [['c0', 'disabled']]);
    assert.ok((await p.listTokens({ status: 'active' })).items.every((t) => t.status === 'active'));
    await rejectsWith(p.listTokens({ cursor: 'abc' }), 'validation_failed');
  });

  test('rotate: a new id and value, the old value dies at once; self-rotate switches the provider to the new value', async () => {
    const dave = gl.addUser('dave');
    const seeded = gl.addToken(dave, 'ci', ['read_api'], { description: 'pipeline' });
    const p = await signedIn(dave);
    // A chosen expiry is refused up front, not silently replaced by the old lifetime.
    const asked = gl.requests.length;
    await rejectsWith(p.regenerateToken(String(seeded.id), undefined, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() }), 'unsupported_operation');
    assert.equal(gl.requests.length, asked, 'nothing reached GitLab');
    assert.ok(gl.accepts(seeded.token));
    const rotated = await p.regenerateToken(String(seeded.id));
    assert.notEqual(rotated.token.id, String(seeded.id));
    assert.equal(rotated.token.name, 'ci');
    assert.equal(rotated.token.description, 'pipeline');
    assert.ok(!gl.accepts(seeded.token), 'old value dead');
    assert.ok(gl.accepts(rotated.secret));
    // The rotate always names an expiry (GitLab would default to one week): the old lifetime.
    const rotateBody = gl.requests.findLast((r) => r.operationId === 'postApiV4PersonalAccessTokensIdRotate')!.body as Record<string, string>;
    assert.match(rotateBody['expires_at']!, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(gl.requests.findLast((r) => r.operationId === 'postApiV4PersonalAccessTokensIdRotate')!.status, 200);
    // Rotating the revoked one again is refused (and GitLab revokes the family: reuse detection).
    await rejectsWith(p.regenerateToken(String(seeded.id)), 'validation_failed', /already revoked/);
    assert.ok(!gl.accepts(rotated.secret));
    // Self-rotate.
    const selfBefore = p.credentialValue!;
    const selfId = (await p.listTokens({ text: 'signin-dave' })).items[0]!.id;
    const self = await p.regenerateToken(selfId);
    assert.ok(gl.requests.some((r) => r.operationId === 'postApiV4PersonalAccessTokensSelfRotate' && r.status === 200));
    assert.ok(!gl.accepts(selfBefore));
    assert.equal(p.credentialValue, self.secret);
    assert.equal((await p.currentUser()).username, 'dave', 'the provider carries on with the new value');
  });

  test('rotateSelf: a token with self_rotate (not api) replaces itself; without either scope the capability is off and GitLab refuses', async () => {
    const gina = gl.addUser('gina');
    const p = await signedIn(gina, ['read_user', 'self_rotate']);
    await p.refreshCapabilities();
    assert.equal(p.capabilities.selfRotate, true);
    const before = p.credentialValue!;
    const rotated = await p.rotateSelf();
    assert.ok(gl.requests.some((r) => r.operationId === 'postApiV4PersonalAccessTokensSelfRotate' && r.status === 200));
    assert.ok(!gl.accepts(before), 'the old value dies at once');
    assert.equal(p.credentialValue, rotated.secret);
    assert.deepEqual(rotated.token.scopes, ['read_user', 'self_rotate']);
    assert.equal((await p.currentUser()).username, 'gina', 'the provider carries on with the new value');

    const plain = await signedIn(gl.addUser('hank'), ['read_user']);
    await plain.refreshCapabilities();
    assert.equal(plain.capabilities.selfRotate, false);
    const kept = plain.credentialValue;
    await rejectsWith(plain.rotateSelf(), 'forbidden');
    assert.equal(plain.credentialValue, kept, 'a refused rotation keeps the credential');
  });

  test('group and project access tokens through the organisation methods: list, create (scopes, level, expiry), rotate, revoke', async () => {
    const erin = gl.addUser('erin');
    const group = gl.addGroup('platform', [[erin, 50], [alice, 30]]);
    const project = gl.addProject('api-server', group, [[alice, 40]]);
    const p = await signedIn(erin);
    const orgs = await p.listOrganizations!();
    assert.deepEqual(orgs.map((o) => [o.id, o.name, o.can_manage_tokens]), [[String(group.id), 'platform', true]]);
    const projects = await p.listGroups!(String(group.id));
    assert.deepEqual(projects.map((g) => [g.id, g.name, g.can_manage_tokens]), [[String(project.id), 'api-server', true]]);
    const gOwner = { kind: 'organization' as const, id: String(group.id), name: 'platform' };
    const made = await p.createScopedToken!(gOwner, { name: 'release-bot', admin_role: false, scopes: ['read_api', 'read_repository'], access_level: 20, expires_at: inDays(20) });
    assert.match(made.token.id, new RegExp(`^group:${group.id}:\\d+$`));
    assert.equal(made.token.owner.kind, 'organization');
    assert.equal(made.token.owner.scope_name, 'platform');
    assert.equal(made.token.extra?.['role'], 'Reporter');
    assert.ok(gl.accepts(made.secret));
    const defaults = await p.createScopedToken!(gOwner, { name: 'owner-bot', admin_role: true });
    assert.equal(defaults.token.extra?.['access_level'], 50);
    assert.deepEqual(defaults.token.scopes, ['api']);
    assert.deepEqual((await p.listScopedTokens!(gOwner)).map((t) => t.name).sort(), ['owner-bot', 'release-bot']);
    const rotated = await p.regenerateToken(made.token.id);
    assert.ok(!gl.accepts(made.secret) && gl.accepts(rotated.secret));
    assert.match(rotated.token.id, new RegExp(`^group:${group.id}:`));
    await p.deleteToken(rotated.token.id);
    assert.ok(!gl.accepts(rotated.secret));
    // The organisation view's "Revoke" is GitLab's revoke (final): the token answers as disabled and leaves the list.
    const revoked = await p.disableToken(defaults.token.id);
    assert.equal(revoked.status, 'disabled');
    assert.ok(!gl.accepts(defaults.secret));
    assert.deepEqual(await p.listScopedTokens!(gOwner), []);
    assertLacks(p, ['enableToken']);
    // Project tokens: alice is a Maintainer of the project; she cannot give a token Owner (50).
    const a = await signedIn(alice);
    const pOwner = { kind: 'group' as const, id: String(project.id), org_id: String(group.id), name: 'api-server' };
    const pt = await a.createScopedToken!(pOwner, { name: 'deploy', admin_role: true, expires_at: inDays(5) });
    assert.equal(pt.token.extra?.['access_level'], 40);
    assert.equal(pt.token.owner.kind, 'group');
    assert.deepEqual((await a.listScopedTokens!(pOwner)).map((t) => [t.id, t.owner.scope_name]), [[pt.token.id, 'api-server']]);
    await rejectsWith(a.createScopedToken!(pOwner, { name: 'too-high', admin_role: true, access_level: 50 }), 'validation_failed', /greater/);
    const prot = await a.regenerateToken(pt.token.id);
    assert.ok(!gl.accepts(pt.secret) && gl.accepts(prot.secret));
    await a.deleteToken(prot.token.id);
    // Alice is only a Developer in the group: GitLab's 401 there becomes a clear "needs Owner".
    await rejectsWith(a.listScopedTokens!(gOwner), 'forbidden', /Owner role/);
    await rejectsWith(a.createScopedToken!(gOwner, { name: 'x', admin_role: false, expires_at: null }), 'validation_failed', /must expire/);
  });

  test('a leaked token revokes itself (GET then DELETE /personal_access_tokens/self with the leaked value): no sign-in needed', async () => {
    const leaked = gl.addToken(alice, 'leaked-ci', ['read_repository']);
    const before = gl.requests.length;
    // Nobody is signed in: the leaked value itself authenticates both calls.
    const result = await provider().revokeLeakedSecret(`  ${leaked.token}\n`);
    assert.equal(result.outcome, 'revoked');
    assert.equal(result.token?.id, String(leaked.id));
    assert.equal(result.token?.name, 'leaked-ci');
    assert.equal(result.token?.status, 'disabled');
    assert.equal(result.token?.owner.id, String(alice.id));
    assertNoSecret(result.token);
    assert.deepEqual(gl.requests.slice(before).map((r) => [r.operationId, r.status]), [
      ['getApiV4PersonalAccessTokensSelf', 200],
      ['deleteApiV4PersonalAccessTokensSelf', 204],
    ]);
    assert.equal(gl.accepts(leaked.token), false, 'GitLab no longer accepts it');
    // Already revoked (or never a token here): GitLab answers 401, reported as not found, nothing else sent.
    const again = gl.requests.length;
    assert.deepEqual(await provider().revokeLeakedSecret(leaked.token), { outcome: 'not_found', token: null });
    assert.deepEqual(await provider().revokeLeakedSecret('glpat-notatokenofthisserver0000'), { outcome: 'not_found', token: null });
    assert.deepEqual(gl.requests.slice(again).map((r) => r.status), [401, 401]);
    // The token the provider signed in with: revoked, and that sign-in is over.
    const p = await signedIn(bob);
    const own = gl.tokens.find((t) => t.name === 'signin-bob' && !t.revoked)!;
    const mine = await p.revokeLeakedSecret(own.token);
    assert.equal(mine.outcome, 'revoked');
    assert.equal(mine.token?.owner.username, 'bob');
    await rejectsWith(p.listTokens(), 'unauthorized');
    // A server error is an error, not an outcome.
    const other = gl.addToken(alice, 'leaked-2');
    gl.failNext = { status: 500, body: { message: '500 Internal Server Error' } };
    await rejectsWith(provider().revokeLeakedSecret(other.token), 'server_error');
    assert.equal(gl.accepts(other.token), true);
  });

  test('coverage: the journey used every token operation of the excerpt the provider speaks', () => {
    const used = new Set(gl.requests.filter((r) => r.status < 400).map((r) => r.operationId));
    const expected = gl.spec.operations
      .map((o) => o.operationId)
      .filter((id) => !['getApiV4Metadata', 'getApiV4Version', 'getApiV4ProjectsIdAccessTokensTokenId', 'getApiV4GroupsIdAccessTokensTokenId'].includes(id));
    // Not spoken: metadata/version (no feature depends on them). DELETE /self: the leaked-token revoke only (signing out only forgets).
    // get-one of group / project tokens is used by rotate (checked here on 2xx):
    expected.push('getApiV4GroupsIdAccessTokensTokenId', 'getApiV4ProjectsIdAccessTokensTokenId');
    assert.deepEqual(expected.filter((id) => !used.has(id)), []);
  });

  test('404, 429, 5xx and offline; what GitLab cannot do is refused up front', async () => {
    const p = await signedIn(root);
    await rejectsWith(p.getToken('999999'), 'not_found');
    await rejectsWith(p.getToken('group:999999:1'), 'not_found');
    gl.failNext = { status: 429, body: { message: 'Retry later' }, headers: { 'retry-after': '60' } };
    const limited = await rejectsWith(p.listTokens(), 'rate_limited', /Wait a moment/);
    assert.equal(limited.retryAfter, 60);
    gl.failNext = { status: 500, body: { message: '500 Internal Server Error' } };
    await rejectsWith(p.deleteToken('1'), 'server_error');
    const offline = new GitLabProvider({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await rejectsWith(offline.signIn({ kind: 'token', token: 'glpat-x' }), 'offline', /cannot be reached/);
    // Personal tokens cannot be disabled (revoking is final); group and project tokens revoke through disableToken.
    await assert.rejects(p.disableToken('5'), UnsupportedOperation);
    assertLacks(p, ['enableToken', 'cloneToken', 'updateToken', 'bulkDeleteTokens', 'listRoles', 'setUserRoles', 'setUserActive', 'getSettings', 'updateSettings', 'listAudit']);
  });
});
