/**
 * Every in-memory map of the server keyed by something that grows with use (tokens, client
 * addresses, SQL texts) stays at its cap under many distinct keys, and what it is for still holds
 * once entries are pushed out: a debounced use is not written twice within the minute, a revoked
 * token is refused, statements keep answering. Small caps are passed in so a few keys overflow them.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { Authenticator } from '../../../server/auth/authenticator.ts';
import { FailurePolicy } from '../../../server/auth/throttle.ts';
import { UseDebounce } from '../../../server/auth/use-debounce.ts';
import { BoundedMap } from '../../../server/bounded-map.ts';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { TEST_STORE } from '../../support/postgres.ts';
import { call, createToken, startHarness, type Harness } from '../helpers.ts';

describe('BoundedMap', () => {
  test('stays at its cap under many distinct keys and forgets the least recently used first', () => {
    const map = new BoundedMap<string, number>(100);
    for (let i = 0; i < 10_000; i++) {
      map.set(`key ${i}`, i);
      if (i === 50) map.get('key 0'); // a read counts as a use: key 0 outlives keys 1…
    }
    assert.equal(map.size, 100);
    assert.equal(map.has('key 9999'), true);
    assert.equal(map.has('key 1'), false);
    const kept = new BoundedMap<string, number>(3);
    for (const k of ['a', 'b', 'c']) kept.set(k, 1);
    kept.get('a');
    kept.set('d', 1);
    assert.deepEqual([...kept.keys()], ['c', 'a', 'd']);
  });

  test('refuses a cap below one', () => {
    assert.throws(() => new BoundedMap(0), RangeError);
  });
});

describe('UseDebounce', () => {
  test('stays at its caps in tokens and in addresses per token; a deleted token is forgotten', () => {
    const debounce = new UseDebounce({ tokens: 50, addressesPerToken: 4 });
    for (let i = 0; i < 5_000; i++) debounce.note(`tok_${i}`, '10.0.0.1', i);
    assert.equal(debounce.size, 50);
    for (let i = 0; i < 1_000; i++) debounce.note('tok_busy', `10.0.${i >> 8}.${i & 255}`, i);
    assert.equal(debounce.addressesOf('tok_busy'), 4);
    assert.equal(debounce.last('tok_busy', '10.0.3.231'), 999);
    debounce.forget('tok_busy');
    assert.equal(debounce.last('tok_busy', '10.0.3.231'), undefined);
    assert.equal(debounce.addressesOf('tok_busy'), 0);
  });
});

describe('the authenticator under eviction', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.stop());

  test('a token pushed out of the last-use debounce is still not written twice within the minute', async () => {
    const ctx = h.app.ctx;
    let touches = 0;
    // The real store, with its last-use write counted (a spy, not a mock: every call goes through).
    const store = ctx.store;
    const touch = store.touchToken.bind(store);
    store.touchToken = (...args: Parameters<Store['touchToken']>) => {
      touches++;
      return touch(...args);
    };
    after(() => {
      store.touchToken = touch;
    });
    const auth = new Authenticator({
      store,
      catalog: ctx.catalog,
      pepper: ctx.pepper,
      tokenFailures: new FailurePolicy('token', { max: 1000, windowMs: 60_000 }, { max: 1000, windowMs: 60_000 }, store.failures, ctx.now),
      now: ctx.now,
      debounceLimits: { tokens: 1 },
    });
    const [a, b] = [await createToken(h), await createToken(h)];
    const use = (secret: string) => auth.authenticate({ headers: { authorization: `Bearer ${secret}` }, ip: '127.0.0.9', method: 'GET' } as unknown as FastifyRequest);
    await use(a.secret);
    await use(b.secret); // pushes a out of the one-token debounce
    assert.equal(auth.lastUseWrites.size, 1);
    assert.equal(auth.lastUseWrites.last(a.id, '127.0.0.9'), undefined);
    await use(a.secret);
    await use(b.secret);
    assert.equal(touches, 2, 'the use stored in the database stands in for the forgotten entry');
  });

  test('deleting a token removes its debounce entries', async () => {
    const token = await createToken(h);
    assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: token.secret })).status, 200);
    assert.notEqual(h.app.ctx.auth.lastUseWrites.last(token.id, '127.0.0.1'), undefined);
    assert.equal((await call(h.url, 'DELETE', `/api/v1/tokens/${token.id}`, { token: h.admin, body: {} })).status, 204);
    assert.equal(h.app.ctx.auth.lastUseWrites.last(token.id, '127.0.0.1'), undefined);
    assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: token.secret })).status, 401);
  });
});

describe('the SQLite store caches', { skip: TEST_STORE === 'postgres' ? 'the verified-token and statement caches are SQLite only' : false }, () => {
  let h: Harness;
  let store: SqliteStore;
  before(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'patkit-bounded-'));
    store = new SqliteStore(dataDir, { limits: { verifiedTokens: 3, statements: 12 } });
    h = await startHarness({ store, dataDir });
  });
  after(async () => h.stop());

  test('the verified-token cache stays at its cap, and a revoked token is refused whether cached or pushed out', async () => {
    const tokens = [];
    for (let i = 0; i < 8; i++) tokens.push(await createToken(h));
    // Twice: the first use writes its last use (a write empties the cache), the second fills it.
    for (const round of [1, 2]) {
      for (const t of tokens) assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: t.secret })).status, 200, `round ${round}`);
    }
    assert.equal(store.cacheSizes().verifiedTokens, 3);
    const [pushedOut, cached] = [tokens[0]!, tokens.at(-1)!];
    for (const t of [pushedOut, cached]) {
      assert.equal((await call(h.url, 'DELETE', `/api/v1/tokens/${t.id}`, { token: h.admin, body: {} })).status, 204);
      assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: t.secret })).status, 401);
    }
  });

  test('the prepared-statement cache stays at its cap and statements pushed out are prepared again', async () => {
    const token = await createToken(h);
    const paths = ['/api/v1/users/me', '/api/v1/tokens', `/api/v1/tokens/${token.id}`, '/api/v1/users', '/api/v1/settings', '/api/v1/audit', '/api/v1/webhooks', '/api/v1/orgs'];
    for (const round of [1, 2]) {
      for (const path of paths) {
        for (const query of ['', '?limit=5', '?sort=name', '?sort=created_at&order=asc']) {
          const r = await call(h.url, 'GET', path + (path.endsWith('/tokens') ? query : ''), { token: h.admin });
          assert.equal(r.status, 200, `${round} ${path}: ${r.text.slice(0, 200)}`);
        }
      }
    }
    assert.ok(store.cacheSizes().statements <= 12, `${store.cacheSizes().statements} statements cached`);
  });
});
