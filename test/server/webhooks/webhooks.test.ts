/**
 * Webhooks, over real HTTP on the store the suite runs against. A real receiver on
 * loopback (allowed by turning `allow_private_webhook_targets` on) records every delivery and checks
 * its Standard Webhooks signature with a verifier written from the spec (receiver.ts), independent of the
 * server's signer. Retries use a short backoff (300 ms, 600 ms) so the schedule can be measured.
 * With the setting off, http, loopback, private, link-local and metadata targets are refused — also
 * at delivery time, after a webhook was saved while the setting was on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signMessage } from '../../../server/webhooks/signing.ts';
import { ADMIN_PASSWORD, assertProblem, call, createToken, createUser, openDatabase, startHarness, type Harness } from '../helpers.ts';
import { FAST, Receiver, sleep, verify, waitFor } from './receiver.ts';


let h: Harness;
let receiver: Receiver;
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(h.url, method, path, { token: h.admin, ...options });

async function setPrivate(allowed: boolean): Promise<void> {
  // Turning it on takes the admin's password (docs/security.md rule 31).
  const r = await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: allowed, ...(allowed ? { password: ADMIN_PASSWORD } : {}) } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.allow_private_webhook_targets, allowed);
}

async function createHook(path: string, events: string[], base = receiver.url): Promise<{ id: string; secret: string }> {
  const r = await api('POST', '/api/v1/webhooks', { body: { url: base + path, events, description: `test ${path}` } });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.webhook.id, secret: r.json.secret };
}

async function deliveries(id: string) {
  const r = await api('GET', `/api/v1/webhooks/${id}/deliveries`);
  assert.equal(r.status, 200, r.text);
  return r.json.items as Array<{
    id: string;
    event_type: string;
    status: string;
    attempt_count: number;
    max_attempts: number;
    next_attempt_at: string | null;
    attempts: Array<{ attempt: number; at: string; status_code: number | null; duration_ms: number; error: string | null; next_retry_at: string | null }>;
  }>;
}

before(async () => {
  receiver = new Receiver();
  await receiver.start();
  h = await startHarness({ webhooks: FAST });
});
after(async () => {
  await h.stop();
  await receiver.stop();
});

describe('signing', () => {
  test('the signer gives the Standard Webhooks reference example its published signature', () => {
    // The example of the Standard Webhooks reference libraries (secret, id, timestamp, body → signature).
    const signature = signMessage('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    assert.equal(signature, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('webhook management', () => {
  test('only settings:write may list, create, read, change, ping or delete webhooks', async () => {
    await setPrivate(true);
    const hook = await createHook('/perm/', ['token.disabled']);
    const member = await createUser(h, 'hook-member');
    const { secret: narrowPat } = await createToken(h, { scopes: ['tokens:read', 'settings:read'] });
    const attempts: Array<[string, string, unknown]> = [
      ['GET', '/api/v1/webhooks', undefined],
      ['POST', '/api/v1/webhooks', { url: `${receiver.url}/x/`, events: ['token.disabled'] }],
      ['GET', `/api/v1/webhooks/${hook.id}`, undefined],
      ['PATCH', `/api/v1/webhooks/${hook.id}`, { active: false }],
      ['DELETE', `/api/v1/webhooks/${hook.id}`, undefined],
      ['POST', `/api/v1/webhooks/${hook.id}/ping`, {}],
      ['POST', `/api/v1/webhooks/${hook.id}/secret`, {}],
      ['GET', `/api/v1/webhooks/${hook.id}/deliveries`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      assertProblem(await call(h.url, method, path, { body }), 401, 'unauthorized');
      assertProblem(await call(h.url, method, path, { token: member.session, body }), 403, 'insufficient_scope');
      assertProblem(await call(h.url, method, path, { token: narrowPat, body }), 403, 'insufficient_scope');
    }
    const list = await api('GET', '/api/v1/webhooks');
    assert.deepEqual(list.json.items.filter((w: { id: string }) => w.id === hook.id).map((w: { active: boolean }) => w.active), [true], 'nothing changed');
    assert.equal((await api('DELETE', `/api/v1/webhooks/${hook.id}`)).status, 204);
    assertProblem(await api('GET', `/api/v1/webhooks/${hook.id}`), 404, 'not_found');
  });

  test('the secret is whsec_ + base64 of 24+ bytes, shown once, never in list, read, audit or the database in plain', async () => {
    await setPrivate(true);
    const r = await api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/secret/`, events: ['token.disabled', 'token.rotated'] } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const { secret, webhook } = r.json;
    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.ok(Buffer.from(secret.slice(6), 'base64').length >= 24);
    assert.deepEqual(Object.keys(webhook).sort(), ['active', 'created_at', 'description', 'events', 'id', 'updated_at', 'url']);
    assert.deepEqual(webhook.events, ['token.disabled', 'token.rotated']);
    assert.equal(webhook.active, true);
    const list = await api('GET', '/api/v1/webhooks');
    const read = await api('GET', `/api/v1/webhooks/${webhook.id}`);
    const audit = await api('GET', '/api/v1/audit?limit=200');
    for (const text of [list.text, read.text, audit.text]) assert.ok(!text.includes(secret.slice(6)), 'secret leaked in an answer');
    assert.ok(audit.json.items.some((e: { action: string; detail: { webhook_id?: string } }) => e.action === 'webhook.created' && e.detail.webhook_id === webhook.id));
    const db = await openDatabase(h);
    try {
      const rows = await db.all('SELECT * FROM webhooks');
      const dump = JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v]))));
      assert.ok(!dump.includes(secret.slice(6)) && !dump.includes(Buffer.from(secret.slice(6), 'base64').toString('hex')), 'secret at rest in plain');
    } finally {
      await db.close();
    }
    // A rotated secret is shown once too, and the old one no longer signs.
    const rotated = await api('POST', `/api/v1/webhooks/${webhook.id}/secret`, { body: {} });
    assert.equal(rotated.status, 200, rotated.text);
    assert.notEqual(rotated.json.secret, secret);
    await api('POST', `/api/v1/webhooks/${webhook.id}/ping`, { body: {} });
    const got = await waitFor('ping after rotation', () => receiver.at('/secret/')[0]);
    assert.ok(verify(rotated.json.secret, got.headers, got.body, Date.now() + h.clock.offsetMs));
    assert.ok(!verify(secret, got.headers, got.body, Date.now() + h.clock.offsetMs));
    await api('DELETE', `/api/v1/webhooks/${webhook.id}`);
  });

  test('bad input is a 400 and changes nothing', async () => {
    await setPrivate(true);
    const hook = await createHook('/bad-input/', ['token.disabled']);
    const before = (await api('GET', '/api/v1/webhooks')).text;
    const bodies: unknown[] = [
      { url: `${receiver.url}/a/`, events: [] },
      { url: `${receiver.url}/a/`, events: ['token.created'] },
      { url: `${receiver.url}/a/`, events: 'token.disabled' },
      { url: `${receiver.url}/a/`, events: ['token.disabled'], secret: 'whsec_AAAA' },
      { url: 'not a url', events: ['token.disabled'] },
      { url: 'ftp://example.com/', events: ['token.disabled'] },
      { url: `http://user:pw@127.0.0.1:1/`, events: ['token.disabled'] },
      { url: 'x'.repeat(3000), events: ['token.disabled'] },
      { events: ['token.disabled'] },
      { url: `${receiver.url}/a/`, events: ['token.disabled'], active: 'yes' },
    ];
    for (const body of bodies) assertProblem(await api('POST', '/api/v1/webhooks', { body }), 400, 'validation_failed');
    const empty = await api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/a/`, events: [] } });
    assert.match(empty.json.detail, /at least one event/);
    for (const body of [{ events: [] }, { url: 'nope' }, { active: 1 }, { colour: 'red' }]) {
      assertProblem(await api('PATCH', `/api/v1/webhooks/${hook.id}`, { body }), 400, 'validation_failed');
    }
    assertProblem(await api('PATCH', '/api/v1/webhooks/whk_nothing', { body: { active: false } }), 404, 'not_found');
    assertProblem(await api('GET', '/api/v1/webhooks/whk_nothing/deliveries'), 404, 'not_found');
    assertProblem(await api('GET', `/api/v1/webhooks/${hook.id}/deliveries?limit=0`), 400, 'validation_failed');
    assertProblem(await api('GET', `/api/v1/webhooks/${hook.id}/deliveries?cursor=garbage`), 400, 'validation_failed');
    assertProblem(await api('PATCH', '/api/v1/settings', { body: { allow_private_webhook_targets: 'yes' } }), 400, 'validation_failed');
    assert.equal((await api('GET', '/api/v1/webhooks')).text, before);
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });
});

describe('SSRF: targets must be https and public unless the admin allows otherwise', () => {
  test('with allow_private_webhook_targets off, http, loopback, private, link-local and metadata targets are refused on create and PATCH', async () => {
    await setPrivate(true);
    const hook = await createHook('/ssrf-patch/', ['token.disabled']);
    await setPrivate(false);
    const port = new URL(receiver.url).port;
    const refused = [
      `http://example.com/hook`,
      `${receiver.url}/plain-http/`,
      `https://127.0.0.1:${port}/`,
      `https://10.1.2.3/`,
      `https://172.16.0.1/`,
      `https://192.168.1.1/`,
      `https://169.254.169.254/latest/meta-data/`,
      `https://100.64.0.1/`,
      `https://0.0.0.0/`,
      `https://[::1]:${port}/`,
      `https://[::ffff:127.0.0.1]/`,
      `https://[fd00::1]/`,
      `https://[fe80::1]/`,
      `https://2130706433/`,
      `https://localhost:${port}/`,
    ];
    for (const url of refused) {
      const r = await api('POST', '/api/v1/webhooks', { body: { url, events: ['token.disabled'] } });
      assertProblem(r, 400, 'validation_failed');
      assert.equal(r.json.errors[0].field, 'url', url);
      assert.match(r.json.detail, /https|loopback, private or link-local/, url);
      assertProblem(await api('PATCH', `/api/v1/webhooks/${hook.id}`, { body: { url } }), 400, 'validation_failed');
    }
    const localhost = await api('POST', '/api/v1/webhooks', { body: { url: `https://localhost:${port}/`, events: ['token.disabled'] } });
    assert.match(localhost.json.detail, /localhost resolves to 127\.0\.0\.1/);
    const list = await api('GET', '/api/v1/webhooks');
    assert.deepEqual(
      list.json.items.map((w: { url: string }) => w.url),
      [`${receiver.url}/ssrf-patch/`],
      'nothing was created or changed',
    );
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  test('the target is checked again at delivery: a loopback webhook saved while allowed is not reached once the setting is off', async () => {
    await setPrivate(true);
    const hook = await createHook('/rebind/', ['token.disabled']);
    await setPrivate(false);
    try {
      assert.equal((await api('POST', `/api/v1/webhooks/${hook.id}/ping`, { body: {} })).status, 202);
      const [delivery] = await waitFor('a refused attempt', async () => {
        const items = await deliveries(hook.id);
        return items[0]?.attempts.length ? items : undefined;
      });
      assert.equal(delivery!.attempts[0]!.status_code, null);
      assert.match(delivery!.attempts[0]!.error!, /https|loopback, private or link-local/);
      assert.equal(receiver.at('/rebind/').length, 0, 'the receiver was never reached');
    } finally {
      await setPrivate(true);
      await api('DELETE', `/api/v1/webhooks/${hook.id}`);
    }
  });
});

describe('deliveries', () => {
  test('a ping arrives signed (independent verifier), with the Standard Webhooks headers and body, and is logged', async () => {
    await setPrivate(true);
    const hook = await createHook('/ping/', ['token.expiring']);
    const ping = await api('POST', `/api/v1/webhooks/${hook.id}/ping`, { body: {} });
    assert.equal(ping.status, 202, ping.text);
    const got = await waitFor('the ping', () => receiver.at('/ping/')[0]);
    assert.equal(got.headers['webhook-id'], ping.json.delivery_id);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.ok(verify(hook.secret, got.headers, got.body, Date.now() + h.clock.offsetMs), 'signature verifies');
    const tampered = got.body.replace('ping', 'pong');
    assert.ok(!verify(hook.secret, got.headers, tampered, Date.now() + h.clock.offsetMs), 'a changed body does not verify');
    const body = JSON.parse(got.body);
    assert.equal(body.type, 'webhook.ping');
    assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
    assert.equal(body.data.webhook.id, hook.id);
    const [logged] = await waitFor('the log', async () => ((await deliveries(hook.id))[0]?.status === 'succeeded' ? deliveries(hook.id) : undefined));
    assert.equal(logged!.id, ping.json.delivery_id);
    assert.equal(logged!.attempt_count, 1);
    assert.equal(logged!.attempts[0]!.status_code, 200);
    assert.equal(logged!.attempts[0]!.error, null);
    assert.equal(logged!.attempts[0]!.next_retry_at, null);
    assert.ok(logged!.attempts[0]!.duration_ms >= 0);
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  test('token events: disabled, rotated and reported leaked reach the webhooks subscribed to them, with token metadata and owner, never a secret or the reporter IP', async () => {
    await setPrivate(true);
    const all = await createHook('/events-all/', ['token.disabled', 'token.rotated', 'token.reported_leaked']);
    const onlyRotated = await createHook('/events-rotated/', ['token.rotated']);
    const alice = await createUser(h, 'hook-alice', ['system_user', 'user_access_token']);
    const disabled = await createToken(h, { name: 'to disable' }, alice.session);
    const rotated = await createToken(h, { name: 'to rotate' }, alice.session);
    const leaked = await createToken(h, { name: 'to leak' }, alice.session);
    assert.equal((await api('POST', `/api/v1/tokens/${disabled.id}/disable`, { body: {} })).status, 200);
    const regen = await api('POST', `/api/v1/tokens/${rotated.id}/regenerate`, { token: alice.session, body: { grace_period_seconds: 3600 } });
    assert.equal(regen.status, 200, regen.text);
    assert.equal((await call(h.url, 'POST', '/api/v1/credentials/revoke', { body: { credentials: [leaked.secret] } })).status, 202);

    const got = await waitFor('three events', () => (receiver.at('/events-all/').length >= 3 ? receiver.at('/events-all/') : undefined));
    await waitFor('the rotated-only event', () => receiver.at('/events-rotated/')[0]);
    await sleep(300);
    assert.equal(receiver.at('/events-all/').length, 3, 'each event once');
    assert.deepEqual(
      receiver.at('/events-rotated/').map((r) => JSON.parse(r.body).type),
      ['token.rotated'],
      'a webhook gets only the events it subscribed to',
    );
    const byType = new Map(got.map((r) => [JSON.parse(r.body).type as string, r]));
    for (const r of got) {
      assert.ok(verify(all.secret, r.headers, r.body, Date.now() + h.clock.offsetMs));
      for (const secret of [disabled.secret, rotated.secret, leaked.secret, regen.json.secret]) assert.ok(!r.body.includes(secret), 'no token secret in a payload');
    }
    const d = JSON.parse(byType.get('token.disabled')!.body).data;
    assert.equal(d.token.id, disabled.id);
    assert.equal(d.token.name, 'to disable');
    assert.equal(d.token.status, 'disabled');
    assert.deepEqual(d.owner, { id: alice.id, username: 'hook-alice' });
    assert.equal(d.reason, 'disabled');
    assert.equal(d.actor.username, 'admin');
    const r = JSON.parse(byType.get('token.rotated')!.body).data;
    assert.equal(r.token.id, rotated.id);
    assert.equal(r.grace_period_seconds, 3600);
    assert.equal(r.previous_valid_until, regen.json.token.rotation.previous_valid_until);
    assert.deepEqual(r.owner, { id: alice.id, username: 'hook-alice' });
    const l = JSON.parse(byType.get('token.reported_leaked')!.body);
    assert.equal(l.data.token.id, leaked.id);
    assert.equal(l.data.token.status, 'disabled');
    assert.deepEqual(l.data.owner, { id: alice.id, username: 'hook-alice' });
    assert.equal(l.data.ip, undefined);
    assert.equal(l.data.reporter_ip, undefined);
    assert.equal(l.data.already_disabled, false);
    assert.equal(new Set(got.map((x) => x.headers['webhook-id'])).size, 3, 'a webhook-id per message');
    await api('DELETE', `/api/v1/webhooks/${all.id}`);
    await api('DELETE', `/api/v1/webhooks/${onlyRotated.id}`);
  });

  test('a failing receiver is retried with backoff under the same webhook-id; every attempt is logged', async () => {
    await setPrivate(true);
    const hook = await createHook('/fail/2/retry/', ['token.disabled']);
    await api('POST', `/api/v1/webhooks/${hook.id}/ping`, { body: {} });
    const got = await waitFor('three attempts', () => (receiver.at('/fail/2/retry/').length >= 3 ? receiver.at('/fail/2/retry/') : undefined));
    assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 1, 'same webhook-id on every retry');
    for (const r of got) assert.ok(verify(hook.secret, r.headers, r.body, Date.now() + h.clock.offsetMs));
    assert.ok(got[1]!.at - got[0]!.at >= 300, `first retry after ≥ 300 ms (was ${got[1]!.at - got[0]!.at})`);
    assert.ok(got[2]!.at - got[1]!.at >= 600, `second retry after ≥ 600 ms, the doubled delay (was ${got[2]!.at - got[1]!.at})`);
    const [delivery] = await waitFor('success logged', async () => ((await deliveries(hook.id))[0]?.status === 'succeeded' ? deliveries(hook.id) : undefined));
    assert.equal(delivery!.attempt_count, 3);
    assert.equal(delivery!.max_attempts, 3);
    assert.deepEqual(delivery!.attempts.map((a) => a.attempt), [1, 2, 3]);
    assert.deepEqual(delivery!.attempts.map((a) => a.status_code), [500, 500, 200]);
    assert.match(delivery!.attempts[0]!.error!, /500/);
    assert.equal(delivery!.attempts[2]!.error, null);
    const gap = (a: { at: string; next_retry_at: string | null }) => Date.parse(a.next_retry_at!) - Date.parse(a.at);
    assert.ok(gap(delivery!.attempts[0]!) >= 300 && gap(delivery!.attempts[1]!) >= 600, 'next_retry_at follows the schedule');
    assert.equal(delivery!.attempts[2]!.next_retry_at, null);
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  test('after the last attempt the delivery is failed; network errors and redirects are failures too', async () => {
    await setPrivate(true);
    const always = await createHook('/always-503/x/', ['token.disabled']);
    const redirect = await createHook('/redirect/x/', ['token.disabled']);
    const closed = await createHook('/closed/', ['token.disabled'], 'http://127.0.0.1:1');
    for (const hook of [always, redirect, closed]) await api('POST', `/api/v1/webhooks/${hook.id}/ping`, { body: {} });
    for (const hook of [always, redirect, closed]) {
      const [delivery] = await waitFor(`failed ${hook.id}`, async () => ((await deliveries(hook.id))[0]?.status === 'failed' ? deliveries(hook.id) : undefined));
      assert.equal(delivery!.attempt_count, 3);
      assert.equal(delivery!.next_attempt_at, null);
      assert.equal(delivery!.attempts.at(-1)!.next_retry_at, null);
      assert.ok(delivery!.attempts.every((a) => a.error !== null));
      if (hook === closed) assert.ok(delivery!.attempts.every((a) => a.status_code === null && /ECONNREFUSED/.test(a.error!)));
      if (hook === redirect) assert.ok(delivery!.attempts.every((a) => a.status_code === 302 && /redirect/.test(a.error!)));
    }
    await sleep(700);
    assert.equal(receiver.at('/always-503/x/').length, 3, 'no fourth attempt');
    assert.ok(!receiver.received.some((r) => r.path === '/elsewhere'), 'the redirect was not followed');
    for (const hook of [always, redirect, closed]) await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  test('a paused webhook gets nothing until it is resumed', async () => {
    await setPrivate(true);
    const hook = await createHook('/paused/', ['token.disabled']);
    assert.equal((await api('PATCH', `/api/v1/webhooks/${hook.id}`, { body: { active: false } })).json.active, false);
    await api('POST', `/api/v1/webhooks/${hook.id}/ping`, { body: {} });
    const { id } = await createToken(h);
    await api('POST', `/api/v1/tokens/${id}/disable`, { body: {} });
    await sleep(400);
    assert.equal(receiver.at('/paused/').length, 0);
    assert.equal((await api('PATCH', `/api/v1/webhooks/${hook.id}`, { body: { active: true } })).json.active, true);
    const got = await waitFor('the queued ping', () => receiver.at('/paused/')[0]);
    assert.equal(JSON.parse(got.body).type, 'webhook.ping', 'events while paused are not queued; the queued ping is sent');
    await sleep(300);
    assert.equal(receiver.at('/paused/').length, 1);
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });
});
