/**
 * Webhooks over time and across processes, over real HTTP on the store the suite runs against:
 * expiry and grace notices from the sweep (on PostgreSQL with two instances sweeping), restarts that
 * neither lose nor repeat, a close while a receiver stalls, and exactly-once delivery when two
 * instances share the queue.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, call, createToken, dropTestDatabase, startHarness, type Harness } from '../helpers.ts';
import { DAY, FAST, Receiver, sleep, verify, waitFor } from './receiver.ts';

describe('time-based events', () => {
  let t: Harness;
  let second: Harness | null = null;
  let local: Receiver;
  before(async () => {
    local = new Receiver();
    await local.start();
    t = await startHarness({ webhooks: FAST, keepDataDir: true });
  });
  after(async () => {
    await second?.stop();
    await t.stop();
    await rm(t.dataDir, { recursive: true, force: true });
    await dropTestDatabase(t.databaseUrl);
    await local.stop();
  });

  const moveClocks = (ms: number) => {
    t.clock.offsetMs += ms;
    if (second) second.clock.offsetMs += ms;
  };

  test('token.expiring 7, 3 and 1 days before expiry, each threshold once (on PostgreSQL with two instances sweeping), and token.grace_ending', async () => {
    const r = await call(t.url, 'PATCH', '/api/v1/settings', { token: t.admin, body: { allow_private_webhook_targets: true, password: ADMIN_PASSWORD } });
    assert.equal(r.status, 200);
    const created = await call(t.url, 'POST', '/api/v1/webhooks', { token: t.admin, body: { url: `${local.url}/expiring/`, events: ['token.expiring', 'token.grace_ending'] } });
    assert.equal(created.status, 201, created.text);
    const secret = created.json.secret as string;
    const expiresAt = new Date(Date.now() + 10 * DAY).toISOString();
    const token = await createToken(t, { name: 'expiring soon', expires_at: expiresAt });
    const rotating = await createToken(t, { name: 'rotating' });
    const regen = await call(t.url, 'POST', `/api/v1/tokens/${rotating.id}/regenerate`, { token: t.admin, body: { grace_period_seconds: 7200 } });
    assert.equal(regen.status, 200, regen.text);
    if (t.databaseUrl !== null) {
      // A second instance on the same database (same pepper), sweeping at the same time.
      second = await startHarness({ webhooks: FAST, databaseUrl: t.databaseUrl, pepperFile: join(t.dataDir, 'pepper') });
      second.clock.offsetMs = t.clock.offsetMs;
    }
    const events = (type: string) => local.at('/expiring/').map((x) => JSON.parse(x.body)).filter((b) => b.type === type);
    await sleep(300);
    assert.equal(events('token.expiring').length, 0, 'nothing 10 days before expiry');
    assert.equal(events('token.grace_ending').length, 0, 'nothing 2 hours before the grace ends');

    moveClocks(90 * 60_000); // 30 min of grace left
    const grace = await waitFor('grace_ending', () => events('token.grace_ending')[0]);
    assert.equal(grace.data.token.id, rotating.id);
    assert.equal(grace.data.previous_valid_until, regen.json.token.rotation.previous_valid_until);
    assert.ok(grace.data.seconds_left > 0 && grace.data.seconds_left <= 1800);

    for (const [advanceDays, threshold] of [[4, 7], [3.5, 3], [2, 1]] as const) {
      moveClocks(advanceDays * DAY);
      const got = await waitFor(`threshold ${threshold}`, () => events('token.expiring').find((e) => e.data.threshold_days === threshold));
      assert.equal(got.data.token.id, token.id);
      assert.equal(got.data.expires_at, expiresAt);
      assert.deepEqual(got.data.owner, { id: t.adminId, username: 'admin' });
      assert.ok(got.data.days_left <= threshold);
      await sleep(400); // several sweeps of each instance
      assert.equal(events('token.expiring').filter((e) => e.data.threshold_days === threshold).length, 1, `threshold ${threshold} once`);
    }
    assert.equal(events('token.grace_ending').length, 1, 'grace_ending once');
    assert.deepEqual(events('token.expiring').map((e) => e.data.threshold_days), [7, 3, 1]);
    // Signed when sent: the clocks have moved days since the first ones.
    for (const x of local.at('/expiring/')) assert.ok(verify(secret, x.headers, x.body, Number(x.headers['webhook-timestamp']) * 1000));
  });

  test('a restart neither loses nor repeats: notices and the outbox cursor are in the database', async () => {
    const offset = t.clock.offsetMs;
    const { dataDir, databaseUrl } = t;
    await second?.stop();
    second = null;
    await t.stop();
    const count = local.received.length;
    t = await startHarness({ webhooks: FAST, dataDir, databaseUrl: databaseUrl ?? undefined, keepDataDir: true });
    t.clock.offsetMs = offset;
    await sleep(500);
    assert.equal(local.received.length, count, 'nothing sent again after the restart');
  });
});

describe('durability and several instances', () => {
  test('close while a receiver stalls: done within seconds, the attempt is handed back unsent and goes out after the restart', async () => {
    const r = new Receiver();
    await r.start();
    // A receiver timeout longer than close's 2 s grace, so it is the close that cuts the attempt.
    let s = await startHarness({ webhooks: { ...FAST, timeoutMs: 8_000 }, keepDataDir: true });
    const { dataDir, databaseUrl } = s;
    try {
      await call(s.url, 'PATCH', '/api/v1/settings', { token: s.admin, body: { allow_private_webhook_targets: true, password: ADMIN_PASSWORD } });
      const created = await call(s.url, 'POST', '/api/v1/webhooks', { token: s.admin, body: { url: `${r.url}/hang/`, events: ['token.disabled'] } });
      assert.equal(created.status, 201, created.text);
      const ping = await call(s.url, 'POST', `/api/v1/webhooks/${created.json.webhook.id}/ping`, { token: s.admin, body: {} });
      await waitFor('the stalled request', () => r.at('/hang/')[0]);
      const started = Date.now();
      await s.app.close();
      assert.ok(Date.now() - started < 5_000, `closed in ${Date.now() - started} ms`);

      r.hang = false;
      s = await startHarness({ webhooks: FAST, dataDir, databaseUrl: databaseUrl ?? undefined, keepDataDir: true });
      const again = await waitFor('the delivery after the restart', () => r.at('/hang/')[1]);
      assert.equal(again.headers['webhook-id'], ping.json.delivery_id, 'the same message');
      assert.ok(verify(created.json.secret, again.headers, again.body, Date.now() + s.clock.offsetMs));
      const log = await waitFor('logged', async () => {
        const items = (await call(s.url, 'GET', `/api/v1/webhooks/${created.json.webhook.id}/deliveries`, { token: s.admin })).json.items;
        return items[0]?.status === 'succeeded' ? items : undefined;
      });
      assert.deepEqual(
        log[0].attempts.map((a: { attempt: number; status_code: number }) => [a.attempt, a.status_code]),
        [[1, 200]],
        'the interrupted try was not counted as an attempt',
      );
    } finally {
      await s.stop();
      await rm(dataDir, { recursive: true, force: true });
      await dropTestDatabase(databaseUrl);
      await r.stop();
    }
  });

  test('every event and ping is delivered exactly once (on PostgreSQL: by two instances sharing the queue)', async () => {
    const r = new Receiver();
    await r.start();
    const first = await startHarness({ webhooks: FAST });
    const second = first.databaseUrl === null ? null : await startHarness({ webhooks: FAST, databaseUrl: first.databaseUrl, pepperFile: join(first.dataDir, 'pepper') });
    try {
      await call(first.url, 'PATCH', '/api/v1/settings', { token: first.admin, body: { allow_private_webhook_targets: true, password: ADMIN_PASSWORD } });
      const created = await call(first.url, 'POST', '/api/v1/webhooks', { token: first.admin, body: { url: `${r.url}/once/`, events: ['token.disabled', 'token.rotated'] } });
      assert.equal(created.status, 201, created.text);
      const instances = [first, second ?? first];
      const expected = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const on = instances[i % 2]!;
        const token = await createToken(on, { name: `once ${i}` });
        assert.equal((await call(on.url, 'POST', `/api/v1/tokens/${token.id}/disable`, { token: on.admin, body: {} })).status, 200);
        expected.add(`token.disabled ${token.id}`);
        const ping = await call(on.url, 'POST', `/api/v1/webhooks/${created.json.webhook.id}/ping`, { token: on.admin, body: {} });
        expected.add(`ping ${ping.json.delivery_id}`);
      }
      await waitFor('all deliveries', () => r.at('/once/').length >= expected.size);
      await sleep(600); // more polls of both instances
      const got = r.at('/once/');
      assert.equal(got.length, expected.size, 'no duplicates');
      assert.equal(new Set(got.map((x) => x.headers['webhook-id'])).size, expected.size);
      const seen = new Set(
        got.map((x) => {
          const body = JSON.parse(x.body);
          return body.type === 'webhook.ping' ? `ping ${x.headers['webhook-id']}` : `${body.type} ${body.data.token.id}`;
        }),
      );
      assert.deepEqual([...seen].sort(), [...expected].sort());
    } finally {
      await second?.stop();
      await first.stop();
      await r.stop();
    }
  });
});
