/**
 * The verified-token cache: recording one token's use drops that token's cached lookups only (a use
 * refuses nothing), while a change still empties it, so a revoked token is refused at its next
 * request (docs/security.md rule 8). SQLite is the store that keeps it.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { TokenAuthRecord } from '../../../server/store/store.ts';
import { VerifiedTokenCache } from '../../../server/store/verified-token-cache.ts';
import { TEST_STORE } from '../../support/postgres.ts';
import { call, createToken, startHarness, type Harness } from '../helpers.ts';

const record = (id: string) => ({ id }) as TokenAuthRecord;

describe('VerifiedTokenCache', () => {
  test('forgetting a token drops it under each of its digests and keeps the others', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('current-a', record('tok_a'));
    cache.set('previous-a', record('tok_a'));
    cache.set('current-b', record('tok_b'));
    cache.forgetToken('tok_a');
    assert.equal(cache.has('current-a'), false);
    assert.equal(cache.has('previous-a'), false);
    assert.equal(cache.get('current-b')?.id, 'tok_b');
    cache.forgetToken('tok_unknown');
    assert.equal(cache.size, 1);
  });

  test('stays at its cap, and a token pushed out and cached again is still forgotten whole', () => {
    const cache = new VerifiedTokenCache(3);
    for (let i = 0; i < 1_000; i++) cache.set(`key ${i}`, record(`tok_${i}`));
    assert.equal(cache.size, 3);
    cache.set('again', record('tok_999'));
    cache.forgetToken('tok_999');
    assert.equal(cache.has('key 999'), false);
    assert.equal(cache.has('again'), false);
    cache.clear();
    assert.equal(cache.size, 0);
  });
});

describe('the SQLite verified-token cache under last-use writes', { skip: TEST_STORE === 'postgres' ? 'the verified-token cache is SQLite only' : false }, () => {
  let h: Harness;
  let store: SqliteStore;
  before(async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'patkit-cache-'));
    store = new SqliteStore(dataDir);
    h = await startHarness({ store, dataDir });
  });
  after(async () => h.stop());

  test("one token's last-use write keeps the other tokens cached; a revoke still refuses at the next request", async () => {
    const [a, b] = [await createToken(h), await createToken(h)];
    // Each token's first use writes its last use (dropping its own entry); the second use caches it.
    for (const t of [a, b, a, b]) assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: t.secret })).status, 200);
    assert.equal(store.cacheSizes().verifiedTokens, 2);
    await store.touchToken(b.id, new Date().toISOString(), '192.0.2.7');
    assert.equal(store.cacheSizes().verifiedTokens, 1, "only b's entry goes");
    assert.equal((await call(h.url, 'DELETE', `/api/v1/tokens/${a.id}`, { token: h.admin, body: {} })).status, 204);
    assert.equal(store.cacheSizes().verifiedTokens, 0, 'a change empties the cache');
    assert.equal((await call(h.url, 'GET', '/api/v1/users/me', { token: a.secret })).status, 401);
  });
});
