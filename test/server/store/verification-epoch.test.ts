/**
 * PostgreSQL's verification epoch: each instance caches verified tokens with the epoch they were
 * read at and reads only the epoch per request while it stands. Every change that can refuse or
 * narrow a token moves it on commit, so an instance holding the token cached refuses it at its next
 * request after a change through another instance (docs/security.md rule 8); a recorded use does not
 * move it; and while it stands the verification statement reads no token, owner, roles or settings.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { TEST_STORE } from '../../support/postgres.ts';
import { assertProblem, call, createToken, createUser, startHarness, type Harness } from '../helpers.ts';

describe('the PostgreSQL verification epoch', { skip: TEST_STORE !== 'postgres' && 'PostgreSQL only: the epoch lives in the shared database (npm run test:server:postgres)' }, () => {
  let a: Harness;
  let b: Harness;
  let sql: pg.Client;
  before(async () => {
    a = await startHarness();
    // The same pepper as the first instance, as the store asks of every instance of one database.
    const pepperFile = join(a.dataDir, 'pepper');
    b = await startHarness({ databaseUrl: a.databaseUrl!, pepperFile });
    sql = new pg.Client({ connectionString: a.databaseUrl! });
    await sql.connect();
  });
  after(async () => {
    await sql.end();
    await b.stop();
    await a.stop();
  });

  const me = (h: Harness, secret: string) => call(h.url, 'GET', '/api/v1/users/me', { token: secret });
  /** Twice: the first use records the use (which drops that token's entry), the second leaves it cached on b. */
  async function cachedOnB(secret: string): Promise<void> {
    for (let i = 0; i < 2; i++) assert.equal((await me(b, secret)).status, 200);
  }
  const epoch = async () => String((await sql.query('SELECT n FROM verification_epoch')).rows[0].n);

  test('a token cached on one instance is refused there at the next request after a change through the other', async () => {
    const changes: [string, (id: string, secret: string) => Promise<unknown>, number, string][] = [
      ['disable', (id) => call(a.url, 'POST', `/api/v1/tokens/${id}/disable`, { token: a.admin, body: {} }), 401, 'token_disabled'],
      ['delete', (id) => call(a.url, 'DELETE', `/api/v1/tokens/${id}`, { token: a.admin, body: {} }), 401, 'unauthorized'],
      ['regenerate', (id) => call(a.url, 'POST', `/api/v1/tokens/${id}/regenerate`, { token: a.admin, body: {} }), 401, 'unauthorized'],
      ['PAT switch off', () => call(a.url, 'PATCH', '/api/v1/settings', { token: a.admin, body: { enable_personal_access_tokens: false } }), 401, 'personal_access_tokens_disabled'],
    ];
    for (const [name, change, status, code] of changes) {
      const t = await createToken(a);
      await cachedOnB(t.secret);
      const r = await change(t.id, t.secret);
      assert.ok((r as { status: number }).status < 300, name);
      assertProblem(await me(b, t.secret), status, code);
    }
    await call(a.url, 'PATCH', '/api/v1/settings', { token: a.admin, body: { enable_personal_access_tokens: true } });
  });

  test("an owner's role change and deactivation through one instance apply on the other's cached token", async () => {
    const rita = await createUser(a, 'rita-epoch', ['system_admin', 'system_user']);
    const t = await createToken(a, { scopes: ['tokens:read', 'users:read'] }, rita.session);
    const users = () => call(b.url, 'GET', '/api/v1/users', { token: t.secret });
    for (let i = 0; i < 2; i++) assert.equal((await users()).status, 200);
    await call(a.url, 'PUT', `/api/v1/users/${rita.id}/roles`, { token: a.admin, body: { roles: ['system_user', 'user_access_token'] } });
    assertProblem(await users(), 403, 'insufficient_scope');
    await cachedOnB(t.secret);
    await call(a.url, 'PATCH', `/api/v1/users/${rita.id}`, { token: a.admin, body: { active: false } });
    assertProblem(await me(b, t.secret), 401, 'user_inactive');
  });

  test('moves once per committed change, not for a recorded use', async () => {
    const t = await createToken(a);
    const before = await epoch();
    await a.app.ctx.store.touchToken(t.id, new Date().toISOString(), '192.0.2.9');
    assert.equal(await epoch(), before, 'a recorded use leaves it');
    await sql.query('BEGIN');
    await sql.query('UPDATE tokens SET disabled = true WHERE id = $1', [t.id]);
    await sql.query('UPDATE tokens SET scopes = $2 WHERE id = $1', [t.id, 'tokens:read']);
    assert.equal(await epoch(), before, 'not before the commit');
    await sql.query('COMMIT');
    assert.equal(BigInt(await epoch()), BigInt(before) + 1n, 'one step for the transaction');
  });

  test('while the epoch stands, verification reads no token, owner, roles or settings', async () => {
    const t = await createToken(a);
    await cachedOnB(t.secret);
    // Locked against every reader: a request that read any of them would wait out the statement timeout.
    await sql.query('BEGIN');
    try {
      await sql.query('LOCK TABLE tokens, users, user_roles, settings IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      assert.equal((await me(b, t.secret)).status, 200);
      assert.ok(performance.now() - started < 2_000, 'answered without waiting for the locked tables');
    } finally {
      await sql.query('ROLLBACK');
    }
  });
});
