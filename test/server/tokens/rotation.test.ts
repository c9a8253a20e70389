/**
 * Rotation with a grace period, over real HTTP on the store the suite runs against: during
 * the grace both secrets work and the token says until when; after it only the new one does; a second
 * regenerate, disable, delete and "end grace" end it at once; uses of the old secret are audited;
 * a grace over the server's maximum is refused and changes nothing. The clock is the harness's movable
 * clock (a 2 s grace is passed by moving it 3 s, not by sleeping).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, call, createToken, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, options);
const works = async (secret: string) => (await api('GET', '/api/v1/users/me', { token: secret })).status;

before(async () => {
  h = await startHarness();
});
after(() => h.stop());

async function regenerate(id: string, grace?: number) {
  const r = await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: grace === undefined ? {} : { grace_period_seconds: grace } });
  assert.equal(r.status, 200, r.text);
  return r.json as { token: { rotation: { previous_valid_until: string; previous_last4: string } | null; last4: string }; secret: string };
}

describe('regenerate with a grace period', () => {
  test('both secrets work during the grace, only the new one after; metadata says until when', async () => {
    const { id, secret: first } = await createToken(h);
    const before = Date.now() + h.clock.offsetMs;
    const rotated = await regenerate(id, 2);
    const until = Date.parse(rotated.token.rotation!.previous_valid_until);
    assert.ok(until >= before + 2000 && until <= Date.now() + h.clock.offsetMs + 2000, 'grace ends 2 s after the regenerate');
    assert.equal(rotated.token.rotation!.previous_last4, first.slice(-4));
    assert.equal(rotated.token.last4, rotated.secret.slice(-4));
    assert.equal(await works(first), 200, 'old secret during the grace');
    assert.equal(await works(rotated.secret), 200, 'new secret during the grace');
    const meta = await api('GET', `/api/v1/tokens/${id}`, { token: h.admin });
    assert.deepEqual(meta.json.rotation, rotated.token.rotation);

    h.clock.offsetMs += 3000;
    try {
      assertProblem(await api('GET', '/api/v1/users/me', { token: first }), 401, 'unauthorized');
      assert.equal(await works(rotated.secret), 200, 'new secret after the grace');
      assert.equal((await api('GET', `/api/v1/tokens/${id}`, { token: h.admin })).json.rotation, null, 'no longer rotating');
    } finally {
      h.clock.offsetMs -= 3000;
    }
  });

  test('grace 0 or none is today’s behaviour: the old secret dies at once', async () => {
    for (const grace of [undefined, 0]) {
      const { id, secret } = await createToken(h);
      const rotated = await regenerate(id, grace);
      assert.equal(rotated.token.rotation, null);
      assertProblem(await api('GET', '/api/v1/users/me', { token: secret }), 401, 'unauthorized');
      assert.equal(await works(rotated.secret), 200);
    }
  });

  test('a second regenerate during the grace ends the first grace at once (never three secrets)', async () => {
    const { id, secret: first } = await createToken(h);
    const second = await regenerate(id, 60);
    const third = await regenerate(id, 60);
    assertProblem(await api('GET', '/api/v1/users/me', { token: first }), 401, 'unauthorized');
    assert.equal(await works(second.secret), 200, 'the second secret is now the one in grace');
    assert.equal(await works(third.secret), 200);
    assert.equal(third.token.rotation!.previous_last4, second.secret.slice(-4));
    const fourth = await regenerate(id, 0);
    assert.equal(fourth.token.rotation, null);
    for (const old of [first, second.secret, third.secret]) assertProblem(await api('GET', '/api/v1/users/me', { token: old }), 401, 'unauthorized');
    assert.equal(await works(fourth.secret), 200);
    const events = await api('GET', `/api/v1/audit?token_id=${id}&action=token.regenerated`, { token: h.admin });
    const details = events.json.items.map((e: { detail: Record<string, unknown> }) => e.detail);
    assert.equal(details.length, 3);
    assert.equal(details[0].grace_period_seconds, 0);
    assert.equal(details[0].ended_previous_grace, true);
    assert.equal(details[1].ended_previous_grace, true);
    assert.equal(details[2].grace_period_seconds, 60);
    assert.equal(details[2].ended_previous_grace, undefined);
  });

  test('disable ends the grace; enabling again does not bring the old secret back', async () => {
    const { id, secret: first } = await createToken(h);
    const rotated = await regenerate(id, 60);
    const off = await api('POST', `/api/v1/tokens/${id}/disable`, { token: h.admin, body: {} });
    assert.equal(off.status, 200);
    assert.equal(off.json.rotation, null);
    assertProblem(await api('GET', '/api/v1/users/me', { token: first }), 401, 'unauthorized');
    assert.equal((await api('POST', `/api/v1/tokens/${id}/enable`, { token: h.admin, body: {} })).status, 200);
    assertProblem(await api('GET', '/api/v1/users/me', { token: first }), 401, 'unauthorized');
    assert.equal(await works(rotated.secret), 200);
    const disabled = await api('GET', `/api/v1/audit?token_id=${id}&action=token.disabled`, { token: h.admin });
    assert.equal(disabled.json.items[0].detail.ended_grace, true);
  });

  test('delete ends the grace: neither secret works', async () => {
    const { id, secret: first } = await createToken(h);
    const rotated = await regenerate(id, 60);
    assert.equal((await api('DELETE', `/api/v1/tokens/${id}`, { token: h.admin, body: {} })).status, 204);
    assertProblem(await api('GET', '/api/v1/users/me', { token: first }), 401, 'unauthorized');
    assertProblem(await api('GET', '/api/v1/users/me', { token: rotated.secret }), 401, 'unauthorized');
  });

  test('the owner ends the grace early with DELETE /tokens/{id}/grace (audited; repeating it is harmless)', async () => {
    const { id, secret: first } = await createToken(h);
    const rotated = await regenerate(id, 60);
    const ended = await api('DELETE', `/api/v1/tokens/${id}/grace`, { token: h.admin });
    assert.equal(ended.status, 200, ended.text);
    assert.equal(ended.json.rotation, null);
    assertProblem(await api('GET', '/api/v1/users/me', { token: first }), 401, 'unauthorized');
    assert.equal(await works(rotated.secret), 200);
    const again = await api('DELETE', `/api/v1/tokens/${id}/grace`, { token: h.admin });
    assert.equal(again.status, 200);
    const events = await api('GET', `/api/v1/audit?token_id=${id}&action=token.grace_ended`, { token: h.admin });
    assert.equal(events.json.items.length, 1, 'only the real change is audited');
    assertProblem(await api('DELETE', '/api/v1/tokens/tok_nope/grace', { token: h.admin }), 404, 'not_found');
    assertProblem(await api('DELETE', `/api/v1/tokens/${id}/grace`), 401, 'unauthorized');
  });

  test('uses of the old secret during the grace are audited as such, without the secret', async () => {
    const { id, secret: first } = await createToken(h);
    const rotated = await regenerate(id, 60);
    assert.equal(await works(first), 200);
    assert.equal(await works(first), 200);
    assert.equal(await works(rotated.secret), 200);
    const events = await api('GET', `/api/v1/audit?token_id=${id}&action=token.previous_secret_used`, { token: h.admin });
    assert.equal(events.json.items.length, 1, 'debounced: one entry, not one per request');
    const event = events.json.items[0];
    assert.equal(event.ip, '127.0.0.1');
    assert.equal(event.detail.previous_valid_until, rotated.token.rotation!.previous_valid_until);
    assert.ok(!events.text.includes(first) && !events.text.includes(rotated.secret), 'no secret in the audit');
  });

  test('over the maximum, negative, not an integer, or on a disabled token: clear 400 and nothing changed', async () => {
    const { id, secret } = await createToken(h);
    const settings = await api('GET', '/api/v1/settings', { token: h.admin });
    assert.equal(settings.json.max_grace_period_seconds, 604_800, 'default maximum is 7 days');
    const over = await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { grace_period_seconds: 604_801 } });
    assertProblem(over, 400, 'validation_failed');
    assert.match(over.json.errors[0].message, /at most 604800/);
    assert.equal(over.json.errors[0].field, 'grace_period_seconds');
    for (const bad of [-1, 1.5, '60', null]) {
      const r = await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { grace_period_seconds: bad } });
      assert.equal(r.status, 400, `grace_period_seconds ${JSON.stringify(bad)}`);
    }
    assert.equal(await works(secret), 200, 'the secret was not replaced');
    assert.equal((await api('GET', `/api/v1/audit?token_id=${id}&action=token.regenerated`, { token: h.admin })).json.items.length, 0);

    await api('POST', `/api/v1/tokens/${id}/disable`, { token: h.admin, body: {} });
    assertProblem(await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { grace_period_seconds: 60 } }), 400, 'validation_failed');
    await api('POST', `/api/v1/tokens/${id}/enable`, { token: h.admin, body: {} });
    assert.equal(await works(secret), 200);
  });

  test('the maximum is a server setting; 0 turns grace periods off', async () => {
    const { id } = await createToken(h);
    try {
      assert.equal((await api('PATCH', '/api/v1/settings', { token: h.admin, body: { max_grace_period_seconds: 10 } })).json.max_grace_period_seconds, 10);
      assertProblem(await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { grace_period_seconds: 11 } }), 400, 'validation_failed');
      assert.ok((await regenerate(id, 10)).token.rotation);
      await api('PATCH', '/api/v1/settings', { token: h.admin, body: { max_grace_period_seconds: 0 } });
      const off = await api('POST', `/api/v1/tokens/${id}/regenerate`, { token: h.admin, body: { grace_period_seconds: 1 } });
      assertProblem(off, 400, 'validation_failed');
      assert.match(off.json.errors[0].message, /does not keep old secrets/);
      assert.equal((await api('PATCH', '/api/v1/settings', { token: h.admin, body: { max_grace_period_seconds: -1 } })).status, 400);
    } finally {
      await api('PATCH', '/api/v1/settings', { token: h.admin, body: { max_grace_period_seconds: 604_800 } });
    }
  });
});
