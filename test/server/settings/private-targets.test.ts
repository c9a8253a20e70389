/**
 * Who may allow private webhook targets (docs/security.md rule 31), over real HTTP on the store the
 * suite runs against: turning `allow_private_webhook_targets` on takes a signed-in person who types
 * the password again, whatever the password policy; a personal access token with settings:write
 * cannot, and changes nothing trying. Turning it off stays open to any settings:write credential.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, assertProblem, call, createToken, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, { token: h.admin, ...options });

async function allowed(): Promise<boolean> {
  const r = await api('GET', '/api/v1/settings');
  assert.equal(r.status, 200, r.text);
  return r.json.allow_private_webhook_targets;
}

async function settingsAudits(): Promise<Array<{ detail: Record<string, unknown> }>> {
  return (await api('GET', '/api/v1/audit?action=settings.updated&limit=200')).json.items;
}

before(async () => {
  // The suite's default: require_password_confirmation off. The switch asks for the password anyway.
  h = await startHarness();
});
after(() => h.stop());

describe('allow_private_webhook_targets needs a person', () => {
  test('a PAT with settings:write cannot turn allow_private_webhook_targets on (403 session_required, nothing changes) but can turn it off', async () => {
    const pat = await createToken(h, { scopes: ['settings:write', 'settings:read'] });
    assert.equal(await allowed(), false);
    const audits = (await settingsAudits()).length;
    for (const body of [
      { allow_private_webhook_targets: true },
      { allow_private_webhook_targets: true, password: ADMIN_PASSWORD },
      { allow_private_webhook_targets: true, default_lifetime_days: 45 },
    ]) {
      const r = await call(h.url, 'PATCH', '/api/v1/settings', { token: pat.secret, body });
      assertProblem(r, 403, 'session_required');
      assert.match(r.json.detail, /signed-in session and your password: a personal access token cannot turn it on/);
    }
    assert.equal(await allowed(), false, 'the setting is unchanged');
    assert.notEqual((await api('GET', '/api/v1/settings')).json.default_lifetime_days, 45, 'nothing else in the refused patch was applied');
    assert.equal((await settingsAudits()).length, audits, 'nothing was audited as changed');

    // The same PAT may still change other settings, and turn the switch off.
    assert.equal((await call(h.url, 'PATCH', '/api/v1/settings', { token: pat.secret, body: { allow_private_webhook_targets: false } })).status, 200);
    assert.equal((await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: true, password: ADMIN_PASSWORD } })).status, 200);
    assert.equal(await allowed(), true);
    const off = await call(h.url, 'PATCH', '/api/v1/settings', { token: pat.secret, body: { allow_private_webhook_targets: false } });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.json.allow_private_webhook_targets, false);
    assert.equal(await allowed(), false);
  });

  test('a signed-in session turns allow_private_webhook_targets on only with the password re-checked, whatever the password policy', async () => {
    assert.equal((await api('GET', '/api/v1/settings')).json.require_password_confirmation, false);
    const missing = await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: true } });
    assertProblem(missing, 403, 'password_confirmation_required');
    assert.match(missing.json.detail, /Enter your password to allow private webhook targets/);
    const wrong = await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: true, password: 'not-the-password' } });
    assertProblem(wrong, 403, 'password_incorrect');
    assert.equal(await allowed(), false, 'refused attempts change nothing');
    const failed = (await api('GET', '/api/v1/audit?action=password.check_failed')).json.items;
    assert.equal(failed[0]?.detail.operation, 'allow private webhook targets', 'the wrong password is audited');

    const right = await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: true, password: ADMIN_PASSWORD } });
    assert.equal(right.status, 200, right.text);
    assert.equal(right.json.allow_private_webhook_targets, true);
    assert.equal('password' in right.json, false);
    assert.equal(await allowed(), true);
    const [entry] = await settingsAudits();
    assert.deepEqual(entry!.detail, { allow_private_webhook_targets: true }, 'audited, without the password');
    assert.ok(!JSON.stringify(await settingsAudits()).includes(ADMIN_PASSWORD));

    // Off needs no password.
    const off = await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: false } });
    assert.equal(off.status, 200, off.text);
    assert.equal(await allowed(), false);
  });
});
