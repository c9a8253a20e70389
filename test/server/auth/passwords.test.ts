/**
 * Password confirmation for sensitive changes (docs/security.md rule 10) and throttling of failed
 * sign-ins, password checks and token verifications per IP and per account (rule 12).
 * Uses the real scrypt cost, so it signs in and checks passwords sparingly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SCRYPT_PARAMETERS } from '../../../server/auth/passwords.ts';
import { generateToken } from '../../../server/auth/credentials.ts';
import { ADMIN_PASSWORD, assertProblem, bytesAtRest, call, createToken, openDatabase, startHarness, type Harness } from '../helpers.ts';

describe('password confirmation policy (on by default)', () => {
  let h: Harness;
  const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
  before(async () => {
    h = await startHarness({ passwordPolicy: true });
  });
  after(() => h.stop());

  test('the policy is on by default on a new server', async () => {
    const s = await api('GET', '/api/v1/settings', { token: h.admin });
    assert.equal(s.json.require_password_confirmation, true);
    assert.equal(s.json.enable_personal_access_tokens, true, 'the harness enables PATs');
  });

  test('passwords are stored with scrypt N=2^17, r=8, p=1', async () => {
    assert.deepEqual(SCRYPT_PARAMETERS, { N: 131072, r: 8, p: 1 });
    const db = await openDatabase(h, { readOnly: true });
    const row = ((await db.all("SELECT password_hash FROM users WHERE username = 'admin'")) as { password_hash: string }[])[0]!;
    await db.close();
    assert.match(row.password_hash, /^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.ok(!row.password_hash.includes(ADMIN_PASSWORD));
  });

  test('create, regenerate, clone, enable, scope widening, delete and bulk delete need the password', async () => {
    // One token made with the password, then each sensitive operation: missing → required,
    // wrong → incorrect (and nothing changed), right → done.
    const base = { name: 'p', scopes: ['tokens:read'], acknowledge_admin_token: true };
    assertProblem(await api('POST', '/api/v1/tokens', { token: h.admin, body: base }), 403, 'password_confirmation_required');
    assertProblem(await api('POST', '/api/v1/tokens', { token: h.admin, body: { ...base, password: 'wrong' } }), 403, 'password_incorrect');
    const before = await api('GET', '/api/v1/tokens', { token: h.admin });
    assert.equal(before.json.items.length, 0, 'nothing was created');
    const created = await api('POST', '/api/v1/tokens', { token: h.admin, body: { ...base, password: ADMIN_PASSWORD } });
    assert.equal(created.status, 201);
    const id = created.json.token.id;
    const secret = created.json.secret;

    const ops: Array<[string, string, Record<string, unknown>]> = [
      ['POST', `/api/v1/tokens/${id}/regenerate`, {}],
      ['POST', `/api/v1/tokens/${id}/clone`, { acknowledge_admin_token: true }],
      ['PATCH', `/api/v1/tokens/${id}`, { scopes: ['tokens:read', 'tokens:write'] }],
      ['DELETE', `/api/v1/tokens/${id}`, {}],
      ['POST', '/api/v1/tokens/bulk-delete', { ids: [id] }],
    ];
    for (const [method, path, body] of ops) {
      assertProblem(await api(method, path, { token: h.admin, body }), 403, 'password_confirmation_required');
    }
    assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200, 'not regenerated, not deleted');
    const unchanged = await api('GET', `/api/v1/tokens/${id}`, { token: h.admin });
    assert.deepEqual(unchanged.json.scopes, ['tokens:read'], 'not widened');

    // Narrowing, renaming and disabling need no password.
    assert.equal((await api('PATCH', `/api/v1/tokens/${id}`, { token: h.admin, body: { name: 'renamed', scopes: [] } })).status, 200);
    assert.equal((await api('POST', `/api/v1/tokens/${id}/disable`, { token: h.admin })).status, 200);
    assertProblem(await api('POST', `/api/v1/tokens/${id}/enable`, { token: h.admin, body: {} }), 403, 'password_confirmation_required');
    assertProblem(await api('POST', `/api/v1/tokens/${id}/enable`, { token: h.admin, body: { password: 'nope' } }), 403, 'password_incorrect');
    assert.equal((await api('GET', `/api/v1/tokens/${id}`, { token: h.admin })).json.status, 'disabled');
    assert.equal((await api('POST', `/api/v1/tokens/${id}/enable`, { token: h.admin, body: { password: ADMIN_PASSWORD } })).status, 200);

    const widened = await api('PATCH', `/api/v1/tokens/${id}`, { token: h.admin, body: { scopes: ['tokens:write'], password: ADMIN_PASSWORD } });
    assert.equal(widened.status, 200);
    assert.deepEqual(widened.json.scopes, ['tokens:write']);
    const regen = await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { password: ADMIN_PASSWORD } });
    assert.equal(regen.status, 200);
    const clone = await api('POST', `/api/v1/tokens/${id}/clone`, { token: h.admin, body: { password: ADMIN_PASSWORD, acknowledge_admin_token: true } });
    assert.equal(clone.status, 201);
    const bulk = await api('POST', '/api/v1/tokens/bulk-delete', { token: h.admin, body: { ids: [clone.json.token.id], password: ADMIN_PASSWORD } });
    assert.equal(bulk.status, 200);
    const del = await api('DELETE', `/api/v1/tokens/${id}`, { token: h.admin, body: { password: ADMIN_PASSWORD } });
    assert.equal(del.status, 204);

    const audit = await api('GET', '/api/v1/audit?action=password.check_failed', { token: h.admin });
    assert.equal(audit.json.items.length, 2, 'each failed re-check is audited');
    for (const e of audit.json.items) {
      assert.equal(e.actor.username, 'admin');
      assert.equal(e.ip, '127.0.0.1');
      assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });

  test('scrypt never runs on the token path: 50 token requests are much faster than one password check', async () => {
    const { secret } = await createToken(h, { password: ADMIN_PASSWORD });
    const t0 = performance.now();
    await api('POST', '/api/v1/tokens', { token: h.admin, body: { name: 'x', scopes: [], acknowledge_admin_token: true, password: 'wrong-again' } });
    const passwordMs = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 50; i++) assert.equal((await api('GET', '/api/v1/users/me', { token: secret })).status, 200);
    const tokenMs = (performance.now() - t1) / 50;
    assert.ok(tokenMs * 10 < passwordMs, `token request ${tokenMs.toFixed(1)} ms vs password check ${passwordMs.toFixed(1)} ms`);
  });
});

describe('throttling (429 with Retry-After)', () => {
  let h: Harness;
  const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
  const window = { windowMs: 60_000 };
  before(async () => {
    h = await startHarness({
      passwordPolicy: true,
      throttle: {
        signInPerAccount: { max: 3, ...window },
        signInPerIp: { max: 6, ...window },
        passwordPerAccount: { max: 2, ...window },
        passwordPerIp: { max: 50, ...window },
        tokenPerIp: { max: 5, ...window },
        tokenPerAccount: { max: 3, ...window },
      },
    });
  });
  after(() => h.stop());

  test('failed sign-ins: per account, then per IP; the window passes', async () => {
    for (let i = 0; i < 3; i++) {
      assertProblem(await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: `wrong-${i}` } }), 401, 'invalid_credentials');
    }
    const blocked = await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    assertProblem(blocked, 429, 'rate_limited');
    const retry = Number(blocked.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal(blocked.json.retry_after, retry);
    // Another account from the same IP is not yet blocked: unknown users fail (and count per IP).
    for (let i = 0; i < 3; i++) {
      assertProblem(await api('POST', '/api/v1/sessions', { body: { username: `ghost${i}`, password: 'x' } }), 401, 'invalid_credentials');
    }
    assertProblem(await api('POST', '/api/v1/sessions', { body: { username: 'ghost9', password: 'x' } }), 429, 'rate_limited');
    const audit = await api('GET', '/api/v1/audit?action=session.sign_in_failed', { token: h.admin });
    assert.equal(audit.json.items.length, 6);
    h.clock.offsetMs = 61_000;
    try {
      assert.equal((await api('POST', '/api/v1/sessions', { body: { username: 'admin', password: ADMIN_PASSWORD } })).status, 201);
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  test('failed password re-checks are throttled per account', async () => {
    const body = { name: 'x', scopes: [], acknowledge_admin_token: true };
    for (let i = 0; i < 2; i++) {
      assertProblem(await api('POST', '/api/v1/tokens', { token: h.admin, body: { ...body, password: 'bad' } }), 403, 'password_incorrect');
    }
    const blocked = await api('POST', '/api/v1/tokens', { token: h.admin, body: { ...body, password: ADMIN_PASSWORD } });
    assertProblem(blocked, 429, 'rate_limited');
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    h.clock.offsetMs = 61_000;
    try {
      // (The session is 12 hours long, so it is still valid a minute later.)
      assert.equal((await api('POST', '/api/v1/tokens', { token: h.admin, body: { ...body, password: ADMIN_PASSWORD } })).status, 201);
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  test('failed token verifications: per account (a disabled token) and per IP', async () => {
    const { id, secret } = await createToken(h, { password: ADMIN_PASSWORD });
    const other = await createToken(h, { password: ADMIN_PASSWORD });
    await api('POST', `/api/v1/tokens/${id}/disable`, { token: h.admin });
    for (let i = 0; i < 3; i++) assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'token_disabled');
    assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 429, 'rate_limited');
    h.clock.offsetMs = 61_000;
    try {
      assert.equal((await api('GET', '/api/v1/users/me', { token: other.secret })).status, 200);
      for (let i = 0; i < 5; i++) assertProblem(await api('GET', '/api/v1/users/me', { token: generateToken() }), 401, 'unauthorized');
      const blocked = await api('GET', '/api/v1/users/me', { token: other.secret });
      assertProblem(blocked, 429, 'rate_limited');
      assert.ok(Number(blocked.headers.get('retry-after')) > 0);
      // The blocked IP cannot use any bearer credential until its window passes.
      assertProblem(await api('GET', '/api/v1/users/me', { token: h.admin }), 429, 'rate_limited');
      h.clock.offsetMs = 122_000;
      const audit = await api('GET', '/api/v1/audit?action=token.verification_failed&limit=200', { token: h.admin });
      assert.ok(audit.json.items.length >= 8);
      const disabledEvents = audit.json.items.filter((e: { token_id: string }) => e.token_id === id);
      assert.equal(disabledEvents.length, 3);
      assert.equal(disabledEvents[0].detail.reason, 'token_disabled');
      assert.equal(disabledEvents[0].owner_id, h.adminId);
    } finally {
      h.clock.offsetMs = 0;
    }
  });

  test('the audit log and data dir never hold the passwords tried', async () => {
    const audit = await api('GET', '/api/v1/audit?limit=200', { token: h.admin });
    assert.ok(!audit.text.includes('wrong-0') && !audit.text.includes(ADMIN_PASSWORD));
    for (const blob of await bytesAtRest(h)) assert.ok(!blob.includes(Buffer.from(ADMIN_PASSWORD)) && !blob.includes(Buffer.from('wrong-0')));
  });
});
