/**
 * Recent uses, over real HTTP from two (and more) loopback addresses, on the store the
 * suite runs against: a token's JSON names the last 5 distinct client IPs with their last time,
 * newest first; a request writes at most once a minute per (token, IP), yet a new IP is recorded at
 * once; on PostgreSQL, two server instances on one database keep each other's entries. The clock is
 * the harness's movable clock (a minute passes by moving it, not by sleeping).
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { TEST_STORE } from '../../support/postgres.ts';
import { call, createToken, dropTestDatabase, newTestDatabase, startHarness, type Harness } from '../helpers.ts';

/** GET /api/v1/users/me with `secret`, sent from `localAddress` (a loopback address of this machine). */
function useFrom(h: Harness, localAddress: string, secret: string): Promise<number> {
  const target = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, localAddress, method: 'GET', path: '/api/v1/users/me', headers: { authorization: `Bearer ${secret}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function recentUses(h: Harness, id: string): Promise<{ ip: string; at: string }[]> {
  const r = await call(h.url, 'GET', `/api/v1/tokens/${id}`, { token: h.admin });
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.json.recent_uses), 'every token answer carries recent_uses');
  return r.json.recent_uses;
}

const clockOf = (h: Harness) => new Date(Date.now() + h.clock.offsetMs).toISOString();

describe('recent uses over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  test('a new token has none; uses from 127.0.0.1 and 127.0.0.2 both appear with their times, newest first', async () => {
    const { id, secret, json } = await createToken(h);
    assert.deepEqual(json.token.recent_uses, [], 'the create answer says none yet');
    const t1 = clockOf(h);
    assert.equal(await useFrom(h, '127.0.0.1', secret), 200);
    h.clock.offsetMs += 5_000;
    const t2 = clockOf(h);
    assert.equal(await useFrom(h, '127.0.0.2', secret), 200);
    const uses = await recentUses(h, id);
    assert.deepEqual(uses.map((u) => u.ip), ['127.0.0.2', '127.0.0.1']);
    assert.ok(uses[0]!.at >= t2 && Date.parse(uses[0]!.at) - Date.parse(t2) < 2_000, `${uses[0]!.at} vs ${t2}`);
    assert.ok(uses[1]!.at >= t1 && uses[1]!.at < t2, `${uses[1]!.at} between ${t1} and ${t2}`);
    const meta = (await call(h.url, 'GET', `/api/v1/tokens/${id}`, { token: h.admin })).json;
    assert.equal(meta.last_used_ip, '127.0.0.2');
    assert.equal(meta.last_used_at, uses[0]!.at);
    // The list answers carry them too.
    const listed = await call(h.url, 'GET', `/api/v1/tokens?q=${id}`, { token: h.admin });
    assert.deepEqual(listed.json.items[0].recent_uses, uses);
  });

  test('inside a minute a known IP is not written again, a new IP is; after a minute the IP moves to the front', async () => {
    const { id, secret } = await createToken(h);
    assert.equal(await useFrom(h, '127.0.0.1', secret), 200);
    const [first] = await recentUses(h, id);
    h.clock.offsetMs += 30_000;
    assert.equal(await useFrom(h, '127.0.0.1', secret), 200);
    assert.deepEqual(await recentUses(h, id), [first], '127.0.0.1 again within the minute: no write');
    assert.equal(await useFrom(h, '127.0.0.2', secret), 200);
    const two = await recentUses(h, id);
    assert.deepEqual(two.map((u) => u.ip), ['127.0.0.2', '127.0.0.1'], 'a new IP within the minute is recorded at once');
    assert.equal(two[1]!.at, first!.at);
    h.clock.offsetMs += 31_000;
    assert.equal(await useFrom(h, '127.0.0.1', secret), 200);
    const three = await recentUses(h, id);
    assert.deepEqual(three.map((u) => u.ip), ['127.0.0.1', '127.0.0.2'], 'a minute later 127.0.0.1 is newest again');
    assert.ok(three[0]!.at > two[0]!.at);
    assert.equal(three.length, 2, 'one entry per IP');
  });

  test('at most 5 distinct IPs are kept: the 5 newest', async () => {
    const { id, secret } = await createToken(h);
    for (let i = 1; i <= 7; i++) {
      h.clock.offsetMs += 1_000;
      assert.equal(await useFrom(h, `127.0.0.${i}`, secret), 200);
    }
    const uses = await recentUses(h, id);
    assert.deepEqual(uses.map((u) => u.ip), ['127.0.0.7', '127.0.0.6', '127.0.0.5', '127.0.0.4', '127.0.0.3']);
    const times = uses.map((u) => u.at);
    assert.deepEqual([...times].sort().reverse(), times, 'newest first');
    assert.equal(new Set(times).size, 5);
  });

  test('failed verifications are not recorded as uses', async () => {
    const { id, secret } = await createToken(h);
    assert.equal((await call(h.url, 'POST', `/api/v1/tokens/${id}/disable`, { token: h.admin, body: {} })).status, 200);
    assert.equal(await useFrom(h, '127.0.0.9', secret), 401);
    assert.deepEqual(await recentUses(h, id), []);
  });
});

describe('recent uses cost no write per request', () => {
  let h: Harness;
  let store: Store;
  let dataDir: string;
  let databaseUrl: string | null = null;
  const touches: string[] = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patkit-recent-uses-'));
    databaseUrl = await newTestDatabase();
    const real: Store = databaseUrl === null ? new SqliteStore(dataDir) : await PostgresStore.open(databaseUrl);
    // Counts the store's last-use writes; everything else goes straight to the real store.
    store = new Proxy(real, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'touchToken') {
          return (id: string, at: string, ip: string | null) => {
            touches.push(`${id} ${ip}`);
            return (value as Store['touchToken']).call(target, id, at, ip);
          };
        }
        return (value as (...args: unknown[]) => unknown).bind(target);
      },
    });
    h = await startHarness({ store, dataDir, keepDataDir: true });
  });
  after(async () => {
    await h.stop();
    await store.close();
    await dropTestDatabase(databaseUrl);
    await rm(dataDir, { recursive: true, force: true });
  });

  test('20 requests from each of two IPs within a minute: one write per IP', async () => {
    const { id, secret } = await createToken(h);
    touches.length = 0;
    for (let i = 0; i < 20; i++) {
      assert.equal(await useFrom(h, '127.0.0.1', secret), 200);
      assert.equal(await useFrom(h, '127.0.0.2', secret), 200);
      h.clock.offsetMs += 2_000;
    }
    assert.deepEqual(touches.sort(), [`${id} 127.0.0.1`, `${id} 127.0.0.2`]);
    // Control: once the minute is over, each IP is written again (the counter sees writes).
    h.clock.offsetMs += 61_000;
    assert.equal(await useFrom(h, '127.0.0.1', secret), 200);
    assert.equal(touches.length, 3);
    assert.deepEqual((await recentUses(h, id)).map((u) => u.ip), ['127.0.0.1', '127.0.0.2']);
  });
});

describe('two instances on one PostgreSQL database', { skip: TEST_STORE !== 'postgres' && 'PostgreSQL only: two instances share one database only there (npm run test:server:postgres)' }, () => {
  let a: Harness;
  let b: Harness;
  before(async () => {
    a = await startHarness();
    // Same database, same pepper (as every instance of one database must have).
    b = await startHarness({ databaseUrl: a.databaseUrl!, dataDir: a.dataDir, keepDataDir: true });
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  test('uses through both instances from different IPs are all kept', async () => {
    const { id, secret } = await createToken(a);
    await Promise.all([useFrom(a, '127.0.0.1', secret), useFrom(b, '127.0.0.2', secret)]);
    a.clock.offsetMs += 1_000;
    b.clock.offsetMs += 1_000;
    await Promise.all([useFrom(b, '127.0.0.3', secret), useFrom(a, '127.0.0.4', secret)]);
    const ips = (await recentUses(b, id)).map((u) => u.ip);
    assert.deepEqual(ips.slice(0, 2).sort(), ['127.0.0.3', '127.0.0.4']);
    assert.deepEqual(ips.slice(2).sort(), ['127.0.0.1', '127.0.0.2']);
  });

  test('concurrent merges from two stores lose no entry and keep the 5 newest distinct IPs', async () => {
    const { id } = await createToken(a);
    const one = await PostgresStore.open(a.databaseUrl!);
    const two = await PostgresStore.open(a.databaseUrl!);
    try {
      const base = Date.parse('2030-01-01T00:00:00.000Z');
      const at = (i: number) => new Date(base + i * 1000).toISOString();
      // 40 touches at once, alternating stores; IP k is last used at time 10+k, then reused earlier.
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) {
        const k = i % 8;
        jobs.push((i % 2 === 0 ? one : two).touchToken(id, at(i < 8 ? 10 + k : k), `10.0.0.${k}`));
      }
      await Promise.all(jobs);
      const token = (await one.getToken(id))!;
      assert.deepEqual(token.recent_uses, [7, 6, 5, 4, 3].map((k) => ({ ip: `10.0.0.${k}`, at: at(10 + k) })));
      assert.equal(token.last_used_at, at(17), 'last use never moves backwards');
    } finally {
      await one.close();
      await two.close();
    }
  });
});
