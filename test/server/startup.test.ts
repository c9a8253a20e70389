/**
 * `server/main.ts` and `buildServer` start-up: the listening line, the admin password, demo data,
 * clean shutdown, the console at `/`, OpenAPI, host scopes, and test/support/server.ts itself.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, TEST_ADMIN_PASSWORD } from '../support/server.ts';
import { spawnServer } from '../support/spawn-server.ts';
import { ADMIN_PASSWORD, call, rawRequest, startHarness, type Harness } from './helpers.ts';

/** Runs main.ts until it prints the listening line, then SIGTERMs it; returns its output and exit code. */
async function runMain(dataDir: string, env: Record<string, string> = {}, args: string[] = [], whileRunning?: (url: string, output: () => string) => Promise<void>) {
  const server = await spawnServer({ dataDir, args, env: { PATKIT_ADMIN_PASSWORD: '', ...env } });
  await new Promise((r) => setTimeout(r, 100)); // the sign-in lines follow the listening line
  try {
    if (whileRunning) await whileRunning(server.url, server.output);
  } catch (error) {
    await server.kill();
    throw new Error(`${(error as Error).message}\nserver output:\n${server.output()}`, { cause: error });
  }
  server.child.kill('SIGTERM');
  const code = await server.exited;
  return { out: server.output(), code, url: server.url };
}

describe('main.ts', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-main-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('first start: one listening line with the real port, a generated admin password shown once; SIGTERM exits 0', async () => {
    let signedIn = 0;
    const first = await runMain(dataDir, {}, [], async (url, output) => {
      const password = /with password (\S+) \(generated/.exec(output())?.[1];
      assert.ok(password, 'password printed');
      const r = await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password } });
      signedIn = r.status;
    });
    assert.equal(first.code, 0);
    assert.equal(signedIn, 201);
    const lines = first.out.split('\n').filter((l) => l.startsWith('patkit listening on'));
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^patkit listening on http:\/\/127\.0\.0\.1:(\d+)$/);
    assert.notEqual(lines[0], 'patkit listening on http://127.0.0.1:0');
    assert.ok(existsSync(join(dataDir, 'patkit.db')) && existsSync(join(dataDir, 'pepper')));

    const second = await runMain(dataDir);
    assert.equal(second.code, 0);
    assert.doesNotMatch(second.out, /generated/);
    assert.match(second.out, /password set on first start/);
  });

  test('--demo: PATs on, alice without the token role, example tokens; idempotent across restarts', async () => {
    const demoDir = await mkdtemp(join(tmpdir(), 'patkit-demo-'));
    try {
      const check = async (url: string) => {
        const s = await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: 'demo-admin-pw' } });
        assert.equal(s.status, 201, s.text);
        const admin = s.json.credential;
        const settings = await call(url, 'GET', '/api/v1/settings', { token: admin });
        assert.equal(settings.json.enable_personal_access_tokens, true);
        const users = await call(url, 'GET', '/api/v1/users', { token: admin });
        assert.deepEqual(users.json.items.map((u: { username: string }) => u.username), ['admin', 'alice']);
        const alice = users.json.items[1];
        assert.ok(!alice.roles.includes('user_access_token'));
        const tokens = await call(url, 'GET', '/api/v1/tokens', { token: admin });
        assert.equal(tokens.json.items.length, 3);
        // One example has been idle for months, so the tour's "Unused for 90 days" finds it.
        const unused = await call(url, 'GET', '/api/v1/tokens?unused_days=90', { token: admin });
        assert.deepEqual(unused.json.items.map((t: { name: string }) => t.name), ['Read-only reporting']);
      };
      const one = await runMain(demoDir, { PATKIT_ADMIN_PASSWORD: 'demo-admin-pw' }, ['--demo'], check);
      assert.match(one.out, /Demo user: "alice" with password alice-demo-password/);
      await runMain(demoDir, { PATKIT_ADMIN_PASSWORD: 'demo-admin-pw' }, ['--demo'], check);
    } finally {
      await rm(demoDir, { recursive: true, force: true });
    }
  });

  test('--reset-admin-password: a new generated password works, the old one and its sessions do not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patkit-reset-'));
    try {
      let oldSession = '';
      await runMain(dir, { PATKIT_ADMIN_PASSWORD: 'the-first-password' }, [], async (url) => {
        const s = await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: 'the-first-password' } });
        assert.equal(s.status, 201);
        oldSession = s.json.credential;
      });
      const reset = await runMain(dir, {}, ['--reset-admin-password'], async (url, output) => {
        const password = /sign in with (\S+)\. Its earlier sessions have ended/.exec(output())?.[1];
        assert.ok(password, `new password printed:\n${output()}`);
        assert.notEqual(password, 'the-first-password');
        assert.equal((await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password } })).status, 201);
        assert.equal((await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: 'the-first-password' } })).status, 401);
        assert.equal((await call(url, 'GET', '/api/v1/users/me', { token: oldSession })).status, 401);
        const audit = await call(url, 'GET', '/api/v1/audit?action=user.password_reset', {
          token: (await call(url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password } })).json.credential,
        });
        assert.equal(audit.json.items.length, 1);
      });
      assert.equal(reset.code, 0);
      // Without the flag nothing is reset again.
      const plain = await runMain(dir);
      assert.doesNotMatch(plain.out, /was reset/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a broken PATKIT_SCOPES_FILE stops the start with a clear message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patkit-scopes-'));
    try {
      await writeFile(join(dir, 'scopes.json'), JSON.stringify([{ id: 'Not A Scope', description: 'x' }]));
      await assert.rejects(runMain(dir, { PATKIT_SCOPES_FILE: join(dir, 'scopes.json') }), /id must look like/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('host app scopes (PATKIT_SCOPES_FILE)', () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patkit-host-scopes-'));
    await writeFile(
      join(dir, 'scopes.json'),
      JSON.stringify({ scopes: [{ id: 'orders:read', group: 'Orders', description: 'Read orders', docs_url: 'https://shop.example/docs#orders' }] }),
    );
    h = await startHarness({ scopesFile: join(dir, 'scopes.json') });
  });
  after(async () => {
    await h.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('host scopes join the catalog, the Full access preset and the admin role; tokens can carry them', async () => {
    const catalog = await call(h.url, 'GET', '/api/v1/scopes', { token: h.admin });
    const scope = catalog.json.scopes.find((s: { id: string }) => s.id === 'orders:read');
    assert.deepEqual(scope, { id: 'orders:read', group: 'Orders', description: 'Read orders', docs_url: 'https://shop.example/docs#orders' });
    assert.ok(catalog.json.presets.find((p: { id: string }) => p.id === 'full_access').scopes.includes('orders:read'));
    const t = await call(h.url, 'POST', '/api/v1/tokens', { token: h.admin, body: { name: 'shop', scopes: ['orders:read', 'tokens:introspect'], acknowledge_admin_token: true } });
    assert.equal(t.status, 201);
    const intro = await call(h.url, 'POST', '/api/v1/introspect', { token: t.json.secret, body: { token: t.json.secret } });
    assert.equal(intro.json.scope, 'orders:read tokens:introspect');
  });
});

describe('OpenAPI 3.1', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  test('served at /api/v1/openapi.json with every route, schemas and the token pattern', async () => {
    const r = await call(h.url, 'GET', '/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.json.openapi, '3.1.0');
    assert.equal(r.json.info['x-token-pattern'], '^pat_[0-9A-Za-z]{36}$');
    const paths = Object.keys(r.json.paths);
    for (const p of [
      '/api/v1/health', '/api/v1/sessions', '/api/v1/sessions/current', '/api/v1/users/me', '/api/v1/users', '/api/v1/users/{id}',
      '/api/v1/users/{id}/roles', '/api/v1/roles', '/api/v1/scopes', '/api/v1/settings', '/api/v1/tokens', '/api/v1/tokens/{id}',
      '/api/v1/tokens/{id}/regenerate', '/api/v1/tokens/{id}/clone', '/api/v1/tokens/{id}/disable', '/api/v1/tokens/{id}/enable',
      '/api/v1/tokens/bulk-delete', '/api/v1/introspect', '/api/v1/audit',
    ]) {
      assert.ok(paths.includes(p), p);
    }
    const create = r.json.paths['/api/v1/tokens'].post;
    assert.equal(create.requestBody.content['application/json'].schema.additionalProperties, false);
    assert.equal(create.responses['201'].content['application/json'].schema.properties.secret.pattern, '^pat_[0-9A-Za-z]{36}$');
    assert.ok(!paths.some((p) => p === '/' || p === '/*'));
  });

  test('responses are serialised by schema: fields outside the schema never leave the server', async () => {
    const r = await call(h.url, 'GET', '/api/v1/users/me', { token: h.admin });
    assert.deepEqual(Object.keys(r.json).sort(), ['active', 'created_at', 'display_name', 'id', 'kind', 'permissions', 'roles', 'username']);
  });
});

describe('the console at /', () => {
  let h: Harness;
  let consoleDir: string;
  let plain: Harness;
  before(async () => {
    const base = await mkdtemp(join(tmpdir(), 'patkit-console-'));
    consoleDir = join(base, 'console');
    await mkdir(join(consoleDir, 'assets'), { recursive: true });
    await writeFile(join(consoleDir, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
    await writeFile(join(consoleDir, 'assets', 'app.js'), 'console.log("hi")');
    await writeFile(join(consoleDir, 'assets', 'app.css'), 'body{}');
    await writeFile(join(consoleDir, '.env'), 'SECRET=1');
    await writeFile(join(base, 'outside.txt'), 'outside');
    await symlink(join(base, 'outside.txt'), join(consoleDir, 'link.txt'));
    h = await startHarness({ consoleDir });
    plain = await startHarness({ consoleDir: join(base, 'missing') });
  });
  after(async () => {
    await h.stop();
    await plain.stop();
    await rm(join(consoleDir, '..'), { recursive: true, force: true });
  });

  test('serves index.html and assets with content types and a same-origin CSP', async () => {
    const index = await call(h.url, 'GET', '/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(index.text, /assets\/app\.js/);
    const csp = index.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.doesNotMatch(csp.split(';').find((d) => d.includes('script-src')) ?? '', /unsafe-inline/);
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    const js = await call(h.url, 'GET', '/assets/app.js');
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    const css = await call(h.url, 'GET', '/assets/app.css');
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  test('no directory traversal, no dotfiles, no symlinks out of the folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/package.json', '/..%2fpackage.json', '/.env', '/link.txt', '/assets/', '/%00', '/assets\\..\\..\\package.json']) {
      const r = await rawRequest(h.url, 'GET', path, []);
      assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
      assert.ok(!r.text.includes('"name": "patkit"') && !r.text.includes('outside') && !r.text.includes('SECRET'), path);
    }
  });

  test('without a built console, / is a plain page pointing to the API and its OpenAPI document', async () => {
    const r = await call(plain.url, 'GET', '/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(r.text, /\/api\/v1\/openapi\.json/);
    assert.match(r.text, /\/api\/v1/);
    assert.equal((await call(plain.url, 'GET', '/assets/app.js')).status, 404);
  });
});

describe('test/support/server.ts', () => {
  test('child process: enablePats, known admin password, stop removes the data dir', async () => {
    const s = await startTestServer({ enablePats: true });
    try {
      assert.equal(s.adminPassword, TEST_ADMIN_PASSWORD);
      const signIn = await call(s.url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: s.adminPassword } });
      assert.equal(signIn.status, 201);
      const settings = await call(s.url, 'GET', '/api/v1/settings', { token: signIn.json.credential });
      assert.equal(settings.json.enable_personal_access_tokens, true);
    } finally {
      await s.stop();
    }
    assert.ok(!existsSync(s.dataDir));
  });

  test('a new server has personal access tokens off: creating is refused, policy defaults apply', async () => {
    const s = await startTestServer({ inProcess: true });
    try {
      const signIn = await call(s.url, 'POST', '/api/v1/sessions', { body: { username: 'admin', password: s.adminPassword } });
      const admin = signIn.json.credential;
      const settings = await call(s.url, 'GET', '/api/v1/settings', { token: admin });
      assert.deepEqual(settings.json, {
        enable_personal_access_tokens: false,
        require_password_confirmation: true,
        default_lifetime_days: 30,
        max_lifetime_days: 365,
        allow_no_expiry: false,
        max_grace_period_seconds: 604_800,
        allow_private_webhook_targets: false,
        token_approval: 'off',
      });
      const create = await call(s.url, 'POST', '/api/v1/tokens', {
        token: admin,
        body: { name: 'x', scopes: [], acknowledge_admin_token: true, password: s.adminPassword },
      });
      assert.equal(create.status, 403);
      assert.equal(create.json.code, 'personal_access_tokens_disabled');
    } finally {
      await s.stop();
    }
  });

  test('in process, with demo data', async () => {
    const s = await startTestServer({ inProcess: true, demo: true });
    try {
      const signIn = await call(s.url, 'POST', '/api/v1/sessions', { body: { username: 'alice', password: 'alice-demo-password' } });
      assert.equal(signIn.status, 201);
      const settings = await call(s.url, 'GET', '/api/v1/settings', { token: signIn.json.credential });
      assert.equal(settings.json.enable_personal_access_tokens, true);
    } finally {
      await s.stop();
    }
    assert.ok(!existsSync(s.dataDir));
    assert.notEqual(ADMIN_PASSWORD, TEST_ADMIN_PASSWORD);
  });
});
