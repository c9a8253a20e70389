/**
 * Several server processes on one database. Real `node server/main.ts` processes.
 *
 * - On the PostgreSQL run: two instances on one database. A change made through one is enforced by
 *   the other at its next request; concurrent regenerates split across both leave one valid secret;
 *   throttling counts across both; kill -9 of one loses no acknowledged token; PostgreSQL restarted
 *   under load gives quick 503s and service resumes without restarting patkit; SIGTERM drains;
 *   readiness follows the database.
 * - On the SQLite run: a second process on the same data dir is refused with a clear message (the
 *   SQLite store's caches are per process), and the data dir is served again once the first is gone.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startPostgres, TEST_STORE, testCluster, type PostgresCluster } from '../../support/postgres.ts';
import { killAllServers, runServer, spawnServer, type ServerProcess } from '../../support/spawn-server.ts';
import { callFrom, loopbackSource } from '../auth/from-address.ts';
import { assertProblem, call, type Answer, type CallOptions } from '../helpers.ts';

const ADMIN_PASSWORD = 'instances-admin-password';

interface Instance extends ServerProcess {
  api: (method: string, path: string, options?: CallOptions) => Promise<Answer>;
}

// Every instance started here is killed after the file, so a failed test cannot leave one running.
after(killAllServers);

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const server = await spawnServer({ env: { PATKIT_ADMIN_PASSWORD: ADMIN_PASSWORD, PATKIT_ENABLE_PATS: '1', ...env }, timeoutMs: 20_000 });
  return { ...server, api: (method, path, options) => call(server.url, method, path, options) };
}

function stopInstance(instance: Instance): Promise<void> {
  return instance.stop();
}

async function ok(instance: Instance, method: string, path: string, options: CallOptions, status = 200) {
  const r = await instance.api(method, path, options);
  if (r.status !== status) throw new Error(`${method} ${path} on ${instance.url}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

async function signIn(instance: Instance, username: string, password: string): Promise<string> {
  return (await ok(instance, 'POST', '/api/v1/sessions', { body: { username, password } }, 201)).credential as string;
}

describe('two instances on one PostgreSQL database', { skip: TEST_STORE !== 'postgres' && 'PostgreSQL only: several processes share one database only there (npm run test:server:postgres)' }, () => {
  let dir: string;
  let databaseUrl: string;
  let a: Instance;
  let b: Instance;
  let admin: string;
  let env: Record<string, string>;
  const me = (instance: Instance, secret: string) => instance.api('GET', '/api/v1/users/me', { token: secret });
  const token = async (body: Record<string, unknown> = {}, credential = admin, via = a) =>
    (await ok(via, 'POST', '/api/v1/tokens', { token: credential, body: { name: 'shared', scopes: ['tokens:read'], acknowledge_admin_token: true, ...body } }, 201)) as {
      token: { id: string };
      secret: string;
    };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patkit-instances-'));
    databaseUrl = await (await testCluster()).createDatabase();
    // Each instance has its own data dir; they share the database and the pepper file.
    env = { PATKIT_DATABASE_URL: databaseUrl, PATKIT_PEPPER_FILE: join(dir, 'pepper') };
    [a, b] = await Promise.all([
      startInstance({ ...env, PATKIT_DATA_DIR: join(dir, 'a') }),
      startInstance({ ...env, PATKIT_DATA_DIR: join(dir, 'b') }),
    ]);
    admin = await signIn(a, 'admin', ADMIN_PASSWORD);
    await ok(b, 'PATCH', '/api/v1/settings', { token: admin, body: { require_password_confirmation: false } });
  });
  after(async () => {
    await Promise.all([a, b].filter(Boolean).map(stopInstance));
    await (await testCluster()).dropDatabase(databaseUrl);
    await rm(dir, { recursive: true, force: true });
  });

  test('both started together on an empty database: one schema, one admin, no SQLite file', async () => {
    assert.match(a.output(), /Store: PostgreSQL/);
    const users = await ok(b, 'GET', '/api/v1/users?q=admin', { token: admin });
    assert.equal(users.items.filter((u: { username: string }) => u.username === 'admin').length, 1);
    const { readdir } = await import('node:fs/promises');
    for (const instanceDir of ['a', 'b']) {
      const files = await readdir(join(dir, instanceDir)).catch(() => []);
      assert.ok(!files.some((f) => f.startsWith('patkit.db')), `${instanceDir}: ${files.join(',')}`);
    }
  });

  test('disable, enable, delete through one are enforced by the other at the next request', async () => {
    const t = await token();
    assert.equal((await me(b, t.secret)).status, 200);
    await ok(a, 'POST', `/api/v1/tokens/${t.token.id}/disable`, { token: admin, body: {} });
    assertProblem(await me(b, t.secret), 401, 'token_disabled');
    await ok(a, 'POST', `/api/v1/tokens/${t.token.id}/enable`, { token: admin, body: {} });
    assert.equal((await me(b, t.secret)).status, 200);
    await ok(a, 'DELETE', `/api/v1/tokens/${t.token.id}`, { token: admin, body: {} }, 204);
    assertProblem(await me(b, t.secret), 401, 'unauthorized');
  });

  test('regenerate, scope and expiry edits through one are enforced by the other', async () => {
    const t = await token({ scopes: ['tokens:read', 'users:read'] });
    assert.equal((await b.api('GET', '/api/v1/users', { token: t.secret })).status, 200);
    const regenerated = await ok(a, 'POST', `/api/v1/tokens/${t.token.id}/regenerate`, { token: admin, body: {} });
    assertProblem(await me(b, t.secret), 401, 'unauthorized');
    assert.equal((await me(b, regenerated.secret)).status, 200);
    await ok(a, 'PATCH', `/api/v1/tokens/${t.token.id}`, { token: admin, body: { scopes: ['tokens:read'] } });
    assertProblem(await b.api('GET', '/api/v1/users', { token: regenerated.secret }), 403, 'insufficient_scope');
    const soon = new Date(Date.now() + 1_500).toISOString();
    await ok(a, 'PATCH', `/api/v1/tokens/${t.token.id}`, { token: admin, body: { expires_at: soon } });
    assert.equal((await me(b, regenerated.secret)).status, 200);
    await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 100));
    assertProblem(await me(b, regenerated.secret), 401, 'token_expired');
  });

  test('role changes, deactivation and sign-out through one are enforced by the other', async () => {
    await ok(a, 'POST', '/api/v1/users', { token: admin, body: { username: 'rita', display_name: 'Rita', password: 'rita-password-1', roles: ['system_admin', 'system_user'] } }, 201);
    const rita = await signIn(a, 'rita', 'rita-password-1');
    const ritaId = (await ok(a, 'GET', '/api/v1/users/me', { token: rita })).id as string;
    const t = await token({ scopes: ['tokens:read', 'users:read'] }, rita);
    assert.equal((await b.api('GET', '/api/v1/users', { token: t.secret })).status, 200);
    await ok(a, 'PUT', `/api/v1/users/${ritaId}/roles`, { token: admin, body: { roles: ['system_user', 'user_access_token'] } });
    assertProblem(await b.api('GET', '/api/v1/users', { token: t.secret }), 403, 'insufficient_scope');
    assert.equal((await me(b, t.secret)).status, 200);
    await ok(a, 'PATCH', `/api/v1/users/${ritaId}`, { token: admin, body: { active: false } });
    assertProblem(await me(b, t.secret), 401, 'user_inactive');
    assert.equal((await me(b, rita)).status, 401, 'deactivation ended her session on every instance');
    await ok(a, 'PATCH', `/api/v1/users/${ritaId}`, { token: admin, body: { active: true } });
    assert.equal((await me(b, t.secret)).status, 200, 'reactivation restores the token everywhere');
    const session = await signIn(b, 'rita', 'rita-password-1');
    assert.equal((await me(a, session)).status, 200, 'sessions live in the database');
    await ok(a, 'DELETE', '/api/v1/sessions/current', { token: session, body: {} }, 204);
    assertProblem(await me(b, session), 401, 'session_expired');
  });

  test('a removed membership or lowered role of an organisation token is enforced by the other', async () => {
    const org = (await ok(a, 'POST', '/api/v1/orgs', { token: admin, body: { name: 'Shared Org' } }, 201)).id as string;
    const orgToken = await ok(a, 'POST', `/api/v1/orgs/${org}/tokens`, { token: admin, body: { name: 'org token', admin_role: true } }, 201);
    const technical = orgToken.token.owner.id as string;
    const introspector = (await token({ scopes: ['tokens:introspect'] })).secret;
    const introspect = (via: Instance) => via.api('POST', '/api/v1/introspect', { token: introspector, body: { token: orgToken.secret } });
    const before = (await introspect(b)).json;
    assert.equal(before.active, true);
    assert.match(before.scope, new RegExp(`org:${org}:admin`));
    await ok(a, 'PUT', `/api/v1/orgs/${org}/members/${technical}`, { token: admin, body: { role: 'user' } });
    const lowered = (await introspect(b)).json;
    assert.equal(lowered.active, true);
    assert.doesNotMatch(lowered.scope, /:admin/);
    await ok(a, 'DELETE', `/api/v1/orgs/${org}/members/${technical}`, { token: admin, body: {} }, 204);
    assert.equal((await introspect(b)).json.active, false);
    assertProblem(await me(b, orgToken.secret), 401, 'membership_removed');
  });

  test('settings changed through one apply on the other at the next request', async () => {
    const t = await token();
    await ok(a, 'PATCH', '/api/v1/settings', { token: admin, body: { enable_personal_access_tokens: false } });
    try {
      assertProblem(await me(b, t.secret), 401, 'personal_access_tokens_disabled');
      assertProblem(await b.api('POST', '/api/v1/tokens', { token: admin, body: { name: 'x', scopes: ['tokens:read'], acknowledge_admin_token: true } }), 403, 'personal_access_tokens_disabled');
    } finally {
      await ok(a, 'PATCH', '/api/v1/settings', { token: admin, body: { enable_personal_access_tokens: true } });
    }
    assert.equal((await me(b, t.secret)).status, 200);
  });

  test('20 concurrent regenerates split across both leave exactly one valid secret', async () => {
    const t = await token();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).api('POST', `/api/v1/tokens/${t.token.id}/regenerate`, { token: admin, body: {} })),
    );
    assert.deepEqual(answers.map((r) => r.status), Array(20).fill(200));
    const secrets = [t.secret, ...answers.map((r) => r.json.secret as string)];
    assert.equal(new Set(secrets).size, 21);
    const valid: string[] = [];
    for (const secret of secrets) if ((await me(a, secret)).status === 200 && (await me(b, secret)).status === 200) valid.push(secret);
    assert.equal(valid.length, 1, `valid secrets: ${valid.length}`);
    const last4 = (await ok(b, 'GET', `/api/v1/tokens/${t.token.id}`, { token: admin })).last4;
    assert.equal(valid[0]!.slice(-4), last4, 'the surviving secret is the one the token row describes');
  });

  test('failed sign-ins are counted across both instances (429 at attempt 11, not 21)', async () => {
    await ok(a, 'POST', '/api/v1/users', { token: admin, body: { username: 'tess', display_name: 'Tess', password: 'tess-password-1' } }, 201);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await (i % 2 ? a : b).api('POST', '/api/v1/sessions', { body: { username: 'tess', password: `wrong-${i}` } });
      statuses.push(r.status);
      if (r.status === 429) assert.ok(Number(r.headers.get('retry-after')) > 0);
    }
    assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
    assertProblem(await a.api('POST', '/api/v1/sessions', { body: { username: 'tess', password: 'tess-password-1' } }), 429, 'rate_limited');
  });

  test('a burst of wrong sign-ins split across both instances stops at the limit; the right password sent during it is refused', async () => {
    // Each instance bounds its own hashes; the slots are taken in the shared database, one atomic
    // statement per attempt (docs/security.md rule 28).
    const created = await ok(a, 'POST', '/api/v1/users', { token: admin, body: { username: 'tina', display_name: 'Tina', password: 'tina-password-1' } }, 201);
    for (let i = 0; i < 9; i++) assertProblem(await (i % 2 ? a : b).api('POST', '/api/v1/sessions', { body: { username: 'tina', password: `wrong-${i}` } }), 401, 'invalid_credentials');
    const wrong = Array.from({ length: 14 }, (_, i) =>
      callFrom((i % 2 ? a : b).url, loopbackSource(i), 'POST', '/api/v1/sessions', { body: { username: 'tina', password: `burst-${i}` } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const right = await callFrom(b.url, loopbackSource(20), 'POST', '/api/v1/sessions', { body: { username: 'tina', password: 'tina-password-1' } });
    const answers = await Promise.all(wrong);
    assert.equal(right.status, 429, `the right password got ${right.status}`);
    assert.equal(answers.filter((r) => r.status === 401).length, 1, answers.map((r) => r.status).join(','));
    const audit = await ok(b, 'GET', `/api/v1/audit?action=session.sign_in_failed&user_id=${created.id}`, { token: admin });
    assert.equal(audit.items.length, 10);
    assertProblem(await a.api('POST', '/api/v1/sessions', { body: { username: 'tina', password: 'tina-password-1' } }), 429, 'rate_limited');
  });

  test('failed token verifications are counted across both instances (429 after 100 in all, not 100 each)', async () => {
    // The counters live in the database: clearing them there resets both instances (the tests
    // above already failed some verifications from 127.0.0.1; the tests below need it unblocked).
    const clearTokenCounters = async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query("DELETE FROM throttle_failures WHERE key LIKE 'token:%'")).rowCount ?? 0;
      } finally {
        await client.end();
      }
    };
    await clearTokenCounters();
    const t = await token();
    await ok(a, 'POST', `/api/v1/tokens/${t.token.id}/disable`, { token: admin, body: {} });
    try {
      // The default limit is 100 failures per IP per 5 minutes; split across both, 100 in all.
      for (let i = 0; i < 100; i++) assertProblem(await me(i % 2 ? a : b, t.secret), 401, 'token_disabled');
      for (const instance of [a, b]) {
        const blocked = await me(instance, t.secret);
        assertProblem(blocked, 429, 'rate_limited');
        assert.ok(Number(blocked.headers.get('retry-after')) > 0);
        // A throttled IP cannot use any bearer credential, on either instance.
        assertProblem(await me(instance, admin), 429, 'rate_limited');
      }
    } finally {
      assert.ok((await clearTokenCounters()) >= 1);
    }
    for (const instance of [a, b]) assert.equal((await me(instance, admin)).status, 200);
  });

  test('last use is recorded from either instance without writing on every request', async () => {
    const t = await token();
    assert.equal((await me(b, t.secret)).status, 200);
    const first = (await ok(a, 'GET', `/api/v1/tokens/${t.token.id}`, { token: admin })).last_used_at as string;
    assert.ok(first, 'the use through b is visible through a');
    assert.equal((await me(a, t.secret)).status, 200);
    assert.equal((await ok(b, 'GET', `/api/v1/tokens/${t.token.id}`, { token: admin })).last_used_at, first, 'debounced: a use within a minute writes nothing');
    const audit = await ok(a, 'GET', `/api/v1/audit?token_id=${t.token.id}`, { token: admin });
    assert.deepEqual(audit.items.map((e: { action: string }) => e.action), ['token.created']);
  });

  test('kill -9 of one instance during writes: the other keeps serving and no acknowledged token is lost', async () => {
    const acknowledged: { id: string; secret: string }[] = [];
    let killedAt = 0;
    const writer = async (via: Instance, n: number) => {
      for (let i = 0; i < n; i++) {
        try {
          const r = await via.api('POST', '/api/v1/tokens', { token: admin, body: { name: `w${i}`, scopes: ['tokens:read'], acknowledge_admin_token: true } });
          if (r.status === 201) acknowledged.push({ id: r.json.token.id, secret: r.json.secret });
          else if (via === b) throw new Error(`the surviving instance answered ${r.status}: ${r.text}`);
        } catch (error) {
          if (via === b) throw error;
          return; // the killed instance's connection broke: what it acknowledged before counts
        }
      }
    };
    const killer = (async () => {
      while (acknowledged.length < 15) await new Promise((r) => setTimeout(r, 5));
      killedAt = acknowledged.length;
      a.child.kill('SIGKILL');
    })();
    await Promise.all([writer(a, 200), writer(b, 60), killer]);
    await a.exited;
    assert.ok(killedAt > 0 && a.child.signalCode === 'SIGKILL');
    for (const t of acknowledged) assert.equal((await me(b, t.secret)).status, 200, `token ${t.id} acknowledged before the kill verifies`);
    // A fresh instance takes its place on the same database.
    a = await startInstance({ ...env, PATKIT_DATA_DIR: join(dir, 'a') });
    assert.equal((await me(a, acknowledged[0]!.secret)).status, 200);
  });

  test('SIGTERM drains: a request in flight is answered, then the process exits 0', async () => {
    const c = await startInstance({ ...env, PATKIT_DATA_DIR: join(dir, 'c') });
    // A sign-in runs scrypt (tens of milliseconds): it is still in flight when SIGTERM arrives.
    const inFlight = c.api('POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    await new Promise((r) => setTimeout(r, 15));
    c.child.kill('SIGTERM');
    assert.equal((await inFlight).status, 201);
    assert.equal(await c.exited, 0);
    await assert.rejects(c.api('GET', '/api/v1/health'));
  });
});

describe('PostgreSQL restarted under load', { skip: TEST_STORE !== 'postgres' && 'PostgreSQL only: it stops and starts a PostgreSQL server (npm run test:server:postgres)' }, () => {
  let cluster: PostgresCluster;
  let dir: string;
  let instance: Instance;
  before(async () => {
    // Its own cluster: this test stops and starts the database server.
    cluster = await startPostgres();
    dir = await mkdtemp(join(tmpdir(), 'patkit-outage-'));
    instance = await startInstance({ PATKIT_DATABASE_URL: await cluster.createDatabase('outage'), PATKIT_DATA_DIR: dir });
  });
  after(async () => {
    if (instance) await stopInstance(instance);
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('quick 503 problems while it is down (no hangs, no stack traces); service resumes by itself', async () => {
    const admin = await signIn(instance, 'admin', ADMIN_PASSWORD);
    const secret = (await ok(instance, 'POST', '/api/v1/tokens', { token: admin, body: { name: 'load', scopes: ['tokens:read'], acknowledge_admin_token: true, password: ADMIN_PASSWORD } }, 201))
      .secret as string;
    assert.equal((await instance.api('GET', '/api/v1/ready')).status, 200);
    let stop = false;
    const seen: { status: number; ms: number; text: string }[] = [];
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stop) {
          const started = Date.now();
          const r = await instance.api('GET', '/api/v1/users/me', { token: secret });
          seen.push({ status: r.status, ms: Date.now() - started, text: r.text });
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    await cluster.stopServer();
    await new Promise((r) => setTimeout(r, 1_500));
    const ready = await instance.api('GET', '/api/v1/ready');
    assertProblem(ready, 503, 'database_unavailable');
    assert.equal((await instance.api('GET', '/api/v1/health')).status, 200, 'liveness stays up');
    await cluster.startServer();
    const resumed = Date.now();
    while ((await instance.api('GET', '/api/v1/users/me', { token: secret })).status !== 200) {
      assert.ok(Date.now() - resumed < 10_000, 'service resumes within 10 s of the database');
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await load;
    const outage = seen.filter((s) => s.status !== 200);
    assert.ok(outage.length > 0, 'requests were made during the outage');
    for (const s of outage) {
      assert.equal(s.status, 503, s.text);
      assert.equal(JSON.parse(s.text).code, 'database_unavailable');
      assert.doesNotMatch(s.text, /\bat \S+ \(|node_modules|Error:/, 'no stack trace');
      assert.ok(s.ms < 3_000, `a 503 took ${s.ms} ms`);
    }
    assert.equal((await instance.api('GET', '/api/v1/ready')).status, 200);
    assert.equal(instance.child.exitCode, null, 'the same process served throughout');
    assert.doesNotMatch(instance.output(), /\n\s+at /, 'no stack trace in the log either');
  });
});
describe('a second process on one SQLite data dir', { skip: TEST_STORE !== 'sqlite' && 'SQLite only: the data dir lock guards the SQLite store (npm run test:server)' }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patkit-sqlite-lock-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('is refused with a clear message; after the first is gone (even kill -9) the data dir serves again', async () => {
    const first = await startInstance({ PATKIT_DATA_DIR: dir });
    const { code, stderr: err } = await runServer({ dataDir: dir });
    assert.equal(code, 1);
    assert.match(err, /in use by another patkit process \(pid \d+\).*PATKIT_DATABASE_URL/s);
    assert.doesNotMatch(err, /\n\s+at /, 'one line, no stack trace');
    assert.equal((await first.api('GET', '/api/v1/health')).status, 200, 'the first keeps serving');
    first.child.kill('SIGKILL');
    await first.exited;
    const third = await startInstance({ PATKIT_DATA_DIR: dir });
    assert.equal((await third.api('GET', '/api/v1/ready')).status, 200);
    await stopInstance(third);
  });
});
