/**
 * Self-rotation over real HTTP: a token with `tokens:self_rotate` replaces its own secret with no
 * password, with or without a grace period (capped as for regenerate); refused without the scope,
 * for a session, for a token that is not active, and for a grace above the cap (nothing changes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requireRotatable } from '../../../server/tokens/self-rotation.ts';
import type { TokenRecord } from '../../../server/store/store.ts';
import { assertProblem, call, createToken, createUser, startHarness, type CallOptions, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: CallOptions = {}) => call(h.url, method, path, options);
let robot: { id: string; session: string; password: string };

async function active(secret: string): Promise<boolean> {
  const r = await api('POST', '/api/v1/introspect', { token: h.admin, body: { token: secret } });
  assert.equal(r.status, 200, r.text);
  return r.json.active as boolean;
}

before(async () => {
  // The password policy stays on: self-rotation must not need the password.
  h = await startHarness({ passwordPolicy: true });
  const r = await api('PATCH', '/api/v1/settings', { token: h.admin, body: { max_grace_period_seconds: 3600, password: 'admin-password-for-tests' } });
  assert.equal(r.status, 200, r.text);
  robot = await createUser(h, 'robot', ['system_user', 'user_access_token']);
});

after(async () => {
  await h?.stop();
});

describe('self-rotation', () => {
  test('a token rotates itself with no password: new secret, same token, the old secret dead at once; audited', async () => {
    const made = await createToken(h, { scopes: ['tokens:self_rotate'], password: robot.password }, robot.session);
    const r = await api('POST', '/api/v1/tokens/self/rotate', { token: made.secret, body: {} });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.json.token.id, made.id);
    assert.deepEqual(r.json.token.scopes, ['tokens:self_rotate']);
    assert.notEqual(r.json.secret, made.secret);
    assert.equal(r.json.token.rotation, null);
    assert.equal(await active(made.secret), false, 'the old secret is dead');
    assert.equal(await active(r.json.secret), true, 'the new secret works');
    const audit = await api('GET', `/api/v1/audit?token_id=${made.id}`, { token: h.admin });
    const entry = audit.json.items.find((e: { action: string }) => e.action === 'token.regenerated');
    assert.equal(entry.detail.self_rotation, true);
    assert.equal(entry.detail.via_token, made.id);
  });

  test('with a grace period the old secret keeps working until it ends', async () => {
    const made = await createToken(h, { scopes: ['tokens:self_rotate'], password: robot.password }, robot.session);
    const r = await api('POST', '/api/v1/tokens/self/rotate', { token: made.secret, body: { grace_period_seconds: 600 } });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.token.rotation?.previous_valid_until, 'the answer shows the grace period');
    assert.equal(await active(made.secret), true, 'the old secret works during the grace');
    assert.equal(await active(r.json.secret), true);
    h.clock.offsetMs += 601_000;
    try {
      assert.equal(await active(made.secret), false, 'and not after it');
    } finally {
      h.clock.offsetMs -= 601_000;
    }
  });

  test('a grace above the cap is a 400 naming grace_period_seconds, and nothing changes', async () => {
    const made = await createToken(h, { scopes: ['tokens:self_rotate'], password: robot.password }, robot.session);
    for (const body of [{ grace_period_seconds: 3601 }, { grace_period_seconds: -1 }, { grace_period_seconds: 'soon' }, { password: 'x' }]) {
      const r = await api('POST', '/api/v1/tokens/self/rotate', { token: made.secret, body });
      assertProblem(r, 400, 'validation_failed');
      assert.equal(r.json.errors[0].field, Object.keys(body)[0], r.text);
    }
    assert.equal(await active(made.secret), true, 'the secret is unchanged');
  });

  test('refused without the scope, for a session, and for a disabled token', async () => {
    const plain = await createToken(h, { scopes: ['tokens:read', 'tokens:write'], password: robot.password }, robot.session);
    assertProblem(await api('POST', '/api/v1/tokens/self/rotate', { token: plain.secret, body: {} }), 403, 'insufficient_scope');
    assert.equal(await active(plain.secret), true);
    assertProblem(await api('POST', '/api/v1/tokens/self/rotate', { token: robot.session, body: {} }), 403, 'token_required');

    const rotating = await createToken(h, { scopes: ['tokens:self_rotate'], password: robot.password }, robot.session);
    await api('POST', `/api/v1/tokens/${rotating.id}/disable`, { token: robot.session, body: {} });
    assertProblem(await api('POST', '/api/v1/tokens/self/rotate', { token: rotating.secret, body: {} }), 401, 'token_disabled');
  });

  test('the one status check refuses every state but active', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const token = { disabled: false, expires_at: null } as unknown as TokenRecord;
    assert.doesNotThrow(() => requireRotatable(token, now));
    assert.throws(() => requireRotatable({ ...token, disabled: true }, now), { status: 409, code: 'token_not_active' });
    assert.throws(() => requireRotatable({ ...token, expires_at: '2026-12-07T11:00:00Z' }, now), { status: 409, code: 'token_not_active' });
  });
});
