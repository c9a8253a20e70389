/**
 * The npm registry provider against a REAL registry: Verdaccio 6 (devDependency) started on
 * loopback with a temporary config, storage and htpasswd. Tokens made through the provider are
 * proven with the real npm CLI (`npm whoami --registry … --//HOST:PORT/:_authToken=…`), before
 * and after revoking them. Verdaccio never pages its token list, so paging via `urls.next` is
 * checked at the end against a stubbed fetch.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertNoSecret } from '../../../../lib/cache/secret-guard.ts';
import { UnsupportedOperation } from '../../../../lib/errors.ts';
import { NpmRegistryProvider, isCidr } from '../../../../lib/providers/npm-registry/index.ts';
import { createProvider, providerKinds } from '../../../../lib/providers/registry.ts';
import { addRegistryUser, startVerdaccio, type RunningVerdaccio } from '../../../support/verdaccio.ts';
import { assertLacks, rejectsWith } from '../../support/provider-error-assertions.ts';

const PASSWORD = 'correct-horse-battery-1';

let registry: RunningVerdaccio;
let npmrc: string;

/** Runs the system npm CLI with nothing from the caller's npm configuration leaking in. */
function npmWhoami(token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  const args = ['whoami', '--registry', `${registry.url}/`, `--//${registry.host}:${registry.port}/:_authToken=${token}`, '--userconfig', npmrc];
  return new Promise((resolve) => {
    execFile('npm', args, { env, cwd: registry.dir, timeout: 60000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout).trim(), stderr: String(stderr) });
    });
  });
}

function provider(credential: string | null = null): NpmRegistryProvider {
  return new NpmRegistryProvider({ baseUrl: registry.url, credential, timeoutMs: 10000 });
}

describe('npm registry provider against a real Verdaccio', () => {
  before(async () => {
    registry = await startVerdaccio();
    npmrc = join(registry.dir, 'empty.npmrc');
    await writeFile(npmrc, '');
    await addRegistryUser(registry.url, 'alice', PASSWORD);
    await addRegistryUser(registry.url, 'bob', `${PASSWORD}-bob`);
  });

  after(async () => {
    await registry?.stop();
  });

  test('capabilities say: no names, no expiry, no disable; password always; the IP allow-list and a readonly option', () => {
    const caps = provider().capabilities;
    assert.equal(caps.names, false);
    assert.equal(caps.expiry.mode, 'none');
    assert.equal(caps.disable, false);
    assert.equal(caps.regenerate, false);
    assert.equal(caps.passwordConfirmation, 'always');
    // npm's cidr_whitelist is the common allow-list (allowed_ips), offered once, not also as a create option.
    assert.equal(caps.allowedIps, true);
    assert.deepEqual([caps.resources, caps.approval, caps.templates, caps.notBefore, caps.selfRotate], [false, false, false, false, false]);
    assert.deepEqual(
      caps.createOptions.map((o) => [o.key, o.type]),
      [['readonly', 'boolean']],
    );
  });

  test('signs in like npm login, and refuses a wrong password as bad credentials', async () => {
    const p = provider();
    const signed = await p.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    assert.equal(signed.user.username, 'alice');
    assert.ok(signed.credential.length > 10);
    assert.equal((await p.currentUser()).username, 'alice');

    const wrong = await rejectsWith(provider().signIn({ kind: 'password', username: 'alice', password: 'nope-nope' }), 'unauthorized');
    assert.equal(wrong.serverCode, 'invalid_credentials');
  });

  test('create → the npm CLI accepts the token → revoke → the npm CLI refuses it', async () => {
    const p = provider();
    await p.signIn({ kind: 'password', username: 'alice', password: PASSWORD });

    const created = await p.createToken({ name: 'ci' }, { password: PASSWORD });
    assert.ok(created.secret.length > 20);
    assert.equal(created.token.owner.username, 'alice');
    assert.equal(created.token.extra?.['readonly'], false);
    assert.ok(!JSON.stringify(created.token).includes(created.secret), 'metadata never carries the secret');

    const listed = await p.listTokens();
    const row = listed.items.find((t) => t.id === created.token.id);
    assert.ok(row, 'the new token is listed by key');
    assert.equal(row.status, 'active');
    assert.equal(row.expires_at, null);
    assert.ok(!JSON.stringify(listed).includes(created.secret), 'lists are masked');
    // What the provider hands out passes the cache's metadata-only guard.
    assertNoSecret(created.token);
    for (const t of listed.items) assertNoSecret(t);

    const ok = await npmWhoami(created.secret);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'alice');

    await p.deleteToken(created.token.id);
    assert.ok(!(await p.listTokens()).items.some((t) => t.id === created.token.id), 'gone from the list');
    await rejectsWith(p.getToken(created.token.id), 'not_found');

    const refused = await npmWhoami(created.secret);
    assert.notEqual(refused.code, 0, 'npm whoami must fail with a revoked token');
    assert.match(refused.stderr, /E40[13]/);
  });

  test('read-only and CIDR options travel to the registry and come back in the list', async () => {
    const p = provider();
    await p.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    const created = await p.createToken(
      { name: 'deploy', extra: { readonly: true, cidr_whitelist: ['127.0.0.1/32', '2001:db8::/32'] } },
      { password: PASSWORD },
    );
    assert.equal(created.token.extra?.['readonly'], true);
    assert.deepEqual(created.token.extra?.['cidr_whitelist'], ['127.0.0.1/32', '2001:db8::/32']);
    const row = await p.getToken(created.token.id);
    assert.equal(row.extra?.['readonly'], true);
    assert.deepEqual(row.extra?.['cidr_whitelist'], ['127.0.0.1/32', '2001:db8::/32']);
    await p.deleteToken(created.token.id);
  });

  test('allowed_ips travel as cidr_whitelist: Verdaccio keeps the list, returns it, and enforces it on use', async () => {
    const p = provider();
    await p.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    const inside = await p.createToken({ name: 'here', allowed_ips: ['127.0.0.0/8'] }, { password: PASSWORD });
    const outside = await p.createToken({ name: 'elsewhere', allowed_ips: ['203.0.113.0/24'] }, { password: PASSWORD });
    assert.deepEqual(inside.token.allowed_ips, ['127.0.0.0/8']);
    const rows = (await p.listTokens()).items;
    assert.deepEqual(rows.find((t) => t.id === inside.token.id)?.allowed_ips, ['127.0.0.0/8'], 'the registry returns the list it keeps');
    assert.deepEqual(rows.find((t) => t.id === outside.token.id)?.allowed_ips, ['203.0.113.0/24']);
    // The CLI talks to Verdaccio from 127.0.0.1: inside its range the token works, outside it is refused.
    const ok = await npmWhoami(inside.secret);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'alice');
    const refused = await npmWhoami(outside.secret);
    assert.notEqual(refused.code, 0, 'a token used outside its allow-list must be refused');
    assert.match(refused.stderr, /E40[13]/);
    await p.deleteToken(inside.token.id);
    await p.deleteToken(outside.token.id);
  });

  test('a bad allowed_ips entry, or the list given twice, is refused before anything is sent', async () => {
    const p = provider();
    await p.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    const before = (await p.listTokens()).items.length;
    const bad = await rejectsWith(p.createToken({ name: 'x', allowed_ips: ['10.0.0.0/8', '10.0.0.300/8'] }, { password: PASSWORD }), 'validation_failed');
    assert.equal(bad.fieldErrors[0]?.field, 'allowed_ips');
    assert.match(bad.message, /10\.0\.0\.300\/8/);
    const twice = await rejectsWith(p.createToken({ name: 'x', allowed_ips: [], extra: { cidr_whitelist: ['10.0.0.0/8'] } }, { password: PASSWORD }), 'validation_failed');
    assert.equal(twice.fieldErrors[0]?.field, 'allowed_ips');
    assert.equal((await p.listTokens()).items.length, before, 'nothing was created');
  });

  test('a wrong password on create is the typed password error, and the session survives it', async () => {
    const p = provider();
    await p.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    const before = (await p.listTokens()).items.length;
    const error = await rejectsWith(p.createToken({ name: 'x' }, { password: 'not-my-password' }), 'password_incorrect');
    assert.equal(error.status, 401);
    assert.deepEqual(error.fieldErrors.map((f) => f.field), ['password']);
    assert.equal((await p.listTokens()).items.length, before, 'nothing was created');
    assert.equal((await p.currentUser()).username, 'alice', 'still signed in');
  });

  test('a dead credential on create is "signed out", not a password error', async () => {
    const p = provider('not-a-real-token');
    await rejectsWith(p.createToken({ name: 'x' }, { password: PASSWORD }), 'unauthorized');
    await rejectsWith(p.listTokens(), 'unauthorized');
    await rejectsWith(p.currentUser(), 'unauthorized');
  });

  test('no password, a bad CIDR, an expiry or scopes are refused before anything is sent', async () => {
    const p = provider();
    await p.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    const before = (await p.listTokens()).items.length;
    await rejectsWith(p.createToken({ name: 'x' }), 'password_confirmation_required');
    const cidr = await rejectsWith(p.createToken({ name: 'x', extra: { cidr_whitelist: ['10.0.0.0/33', 'nope'] } }, { password: PASSWORD }), 'validation_failed');
    assert.equal(cidr.fieldErrors[0]?.field, 'cidr_whitelist');
    await assert.rejects(p.createToken({ name: 'x', expires_at: '2099-01-01T00:00:00.000Z' }, { password: PASSWORD }), UnsupportedOperation);
    await assert.rejects(p.createToken({ name: 'x', scopes: ['publish'] }, { password: PASSWORD }), UnsupportedOperation);
    assertLacks(p, ['disableToken', 'regenerateToken', 'enableToken', 'cloneToken', 'updateToken', 'bulkDeleteTokens', 'listUsers', 'listRoles', 'setUserRoles', 'setUserActive', 'getSettings', 'updateSettings', 'listAudit']);
    assert.equal((await p.listTokens()).items.length, before);
  });

  test('a pasted token signs in, and each user sees only their own tokens', async () => {
    const alice = provider();
    await alice.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    const created = await alice.createToken({ name: 'pasted' }, { password: PASSWORD });

    const pasted = provider();
    const signed = await pasted.signIn({ kind: 'token', token: created.secret });
    assert.equal(signed.user.username, 'alice');
    assert.ok((await pasted.listTokens()).items.some((t) => t.id === created.token.id));

    const bob = provider();
    await bob.signIn({ kind: 'password', username: 'bob', password: `${PASSWORD}-bob` });
    assert.ok(!(await bob.listTokens()).items.some((t) => t.id === created.token.id));
    await assert.rejects(bob.listTokens({ owner: 'all' }), UnsupportedOperation);

    await pasted.signOut();
    await rejectsWith(pasted.listTokens(), 'unauthorized');
    await alice.deleteToken(created.token.id);
  });

  test('a leaked token among the account\u2019s tokens is revoked (Verdaccio: preview + whoami with the value); others are not found', async () => {
    const alice = provider();
    await alice.signIn({ kind: 'password', username: 'alice', password: PASSWORD });
    const leaked = await alice.createToken({ name: 'leaked' }, { password: PASSWORD });
    const bob = provider();
    await bob.signIn({ kind: 'password', username: 'bob', password: `${PASSWORD}-bob` });
    const bobs = await bob.createToken({ name: 'bobs' }, { password: `${PASSWORD}-bob` });
    assert.equal((await npmWhoami(leaked.secret)).code, 0, 'the token works before');

    // Another account's token is not among alice's: not found, and it keeps working.
    assert.deepEqual(await alice.revokeLeakedSecret(bobs.secret), { outcome: 'not_found', token: null });
    assert.equal((await npmWhoami(bobs.secret)).code, 0);
    assert.deepEqual(await alice.revokeLeakedSecret('npm_abcdefghijklmnopqrstuvwxyz0123456789'), { outcome: 'not_found', token: null });

    const result = await alice.revokeLeakedSecret(`${leaked.secret}\n`);
    assert.equal(result.outcome, 'revoked');
    assert.equal(result.token?.id, leaked.token.id);
    assertNoSecret(result.token);
    assert.ok(!(await alice.listTokens()).items.some((t) => t.id === leaked.token.id));
    assert.notEqual((await npmWhoami(leaked.secret)).code, 0, 'the real npm CLI is refused with the revoked token');
    await rejectsWith(provider().revokeLeakedSecret(leaked.secret), 'unauthorized');
    await bob.deleteToken(bobs.token.id);
  });
});

describe('npm registry provider: paging via urls.next (stubbed registry)', () => {
  const token = (key: string) => ({ key, token: `${key.slice(0, 5)}...`, readonly: false, cidr_whitelist: [], created: '2026-01-01T00:00:00.000Z' });

  function stub(pages: Record<string, unknown>, seen: string[]): typeof fetch {
    return async (input) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      seen.push(url.pathname + url.search);
      if (url.pathname.endsWith('/-/whoami')) return Response.json({ username: 'alice' });
      const body = pages[url.search] ?? pages[''];
      return Response.json(body);
    };
  }

  test('follows urls.next page by page, with relative and absolute links', async () => {
    const seen: string[] = [];
    const fetchStub = stub(
      {
        '': { objects: [token('aaaaaaaa1'), token('aaaaaaaa2')], urls: { next: '/registry/-/npm/v1/tokens?page=1' } },
        '?page=1': { objects: [token('bbbbbbbb1')], urls: { next: 'https://npm.example.test/registry/-/npm/v1/tokens?page=2' } },
        '?page=2': { objects: [token('cccccccc1')], urls: {} },
      },
      seen,
    );
    const p = new NpmRegistryProvider({ baseUrl: 'https://npm.example.test/registry', credential: 'stub-credential', fetch: fetchStub });
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await p.listTokens({ cursor });
      keys.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    assert.deepEqual(keys, ['aaaaaaaa1', 'aaaaaaaa2', 'bbbbbbbb1', 'cccccccc1']);
    assert.ok(seen.includes('/registry/-/npm/v1/tokens?page=2'));
    assert.equal((await p.getToken('cccccccc1')).id, 'cccccccc1', 'getToken walks the pages');
  });

  test('a next link to another host is never followed with our credential', async () => {
    const seen: string[] = [];
    const fetchStub = stub({ '': { objects: [token('aaaaaaaa1')], urls: { next: 'https://evil.example.test/-/npm/v1/tokens?page=1' } } }, seen);
    const p = new NpmRegistryProvider({ baseUrl: 'https://npm.example.test', credential: 'stub-credential', fetch: fetchStub });
    const error = await rejectsWith(p.listTokens(), 'bad_response');
    assert.equal(error.serverCode, 'foreign_next_url');
    await rejectsWith(p.listTokens({ cursor: 'https://evil.example.test/x' }), 'validation_failed');
  });

  test('registry.npmjs.org keys a token by the SHA-512 hex of its value: a match is deleted by that key, the value never sent', async () => {
    // A stub, because registry.npmjs.org cannot be reached here; its key rule is npm-profile's documented one.
    const secret = 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const key = createHash('sha512').update(secret).digest('hex');
    const seen: Array<{ method: string; path: string; body: string }> = [];
    const fetchStub: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      seen.push({ method: init?.method ?? 'GET', path: url.pathname, body: String(init?.body ?? '') });
      if (url.pathname === '/-/whoami') return Response.json({ username: 'alice' });
      if (init?.method === 'DELETE') return Response.json({});
      return Response.json({ objects: [token('0123456789abcdef'), { ...token(key), token: 'npm_Ab...' }], urls: {} });
    };
    const p = new NpmRegistryProvider({ baseUrl: 'https://registry.npmjs.test', credential: 'stub-credential', fetch: fetchStub });
    const result = await p.revokeLeakedSecret(secret);
    assert.equal(result.outcome, 'revoked');
    assert.equal(result.token?.id, key);
    assert.deepEqual(seen.map((r) => `${r.method} ${r.path}`), ['GET /-/whoami', 'GET /-/npm/v1/tokens', `DELETE /-/npm/v1/tokens/token/${key}`]);
    assert.ok(seen.every((r) => !r.path.includes(secret) && !r.body.includes(secret)), 'the value itself never left');
    assert.deepEqual(await p.revokeLeakedSecret('npm_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ'), { outcome: 'not_found', token: null });
  });

  test('the registry offers npm registries to the options page', async () => {
    assert.ok(providerKinds().some((d) => d.kind === 'npm'));
    assert.ok((await createProvider('npm', { baseUrl: 'https://registry.npmjs.org/' })) instanceof NpmRegistryProvider);
  });

  test('CIDR validation', () => {
    for (const ok of ['0.0.0.0/0', '192.0.2.0/24', '10.1.2.3/32', '::/0', '2001:db8::/32', 'fe80::1/128']) assert.ok(isCidr(ok), ok);
    for (const bad of ['192.0.2.0', '192.0.2.0/33', '256.0.0.0/8', 'example.com/24', '2001:db8::/129', '1:2:3:4:5:6:7:8:9/64']) assert.ok(!isCidr(bad), bad);
  });
});
