/**
 * The metadata cache against Chromium's real IndexedDB: atomic snapshot replace, upsert/remove,
 * clear, the expiring-soon query across servers, the secret guard (runtime and types), and the
 * upgrade from a saved version-1 database.
 */
import { expect } from '@open-wc/testing';
import { openDB } from 'idb';
import { CACHE_DB_VERSION } from '../../../lib/cache/schema.ts';
import { SecretRefusedError } from '../../../lib/cache/secret-guard.ts';
import { TokenCache } from '../../../lib/cache/token-cache.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import { CACHE_V1 } from './fixtures/cache-v1.ts';
import { afterEach, beforeEach, describe, it } from '../../support/mocha.ts';

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T00:00:00.000Z');

let seq = 0;
function meta(id: string, fields: Partial<TokenMeta> = {}): TokenMeta {
  return {
    id,
    owner: { kind: 'user', id: 'u1', username: 'alice', display_name: 'Alice' },
    name: `token ${id}`,
    description: '',
    created_at: new Date(NOW - seq++ * 1000).toISOString(),
    created_by: null,
    updated_at: null,
    expires_at: null,
    scopes: ['tokens:read'],
    status: 'active',
    last_used_at: null,
    last_used_ip: null,
    last4: 'wxyz',
    ...fields,
  };
}

function inDays(days: number): string {
  return new Date(NOW + days * DAY).toISOString();
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}

async function expectRejects<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}

describe('TokenCache (IndexedDB)', () => {
  let cache: TokenCache;
  let name: string;

  beforeEach(async () => {
    name = `patkit-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    cache = await TokenCache.open({ name });
  });

  afterEach(async () => {
    cache.close();
    await deleteDb(name);
  });

  it('creates the current schema: tokens keyed by [server, id] with by-server and by-expiry indexes, and servers', () => {
    expect(cache.db.version).to.equal(CACHE_DB_VERSION);
    expect([...cache.db.objectStoreNames].sort()).to.deep.equal(['servers', 'tokens']);
    const tx = cache.db.transaction('tokens');
    expect(tx.store.keyPath).to.deep.equal(['server', 'id']);
    expect([...tx.store.indexNames].sort()).to.deep.equal(['by-expiry', 'by-server']);
  });

  it('replaces a snapshot and reads it back, leaving other servers alone', async () => {
    await cache.replaceSnapshot(A, [meta('t1'), meta('t2')]);
    await cache.replaceSnapshot(B, [meta('t9')]);
    await cache.replaceSnapshot(A, [meta('t2', { name: 'renamed' }), meta('t3')]);
    const a = await cache.list(A);
    expect(a.map((t) => t.id)).to.deep.equal(['t2', 't3']);
    expect(a[0]?.name).to.equal('renamed');
    expect((await cache.list(B)).map((t) => t.id)).to.deep.equal(['t9']);
    expect(await cache.count(A)).to.equal(2);
    // A server whose key is a prefix of another's does not bleed into it.
    await cache.replaceSnapshot(`${A}/x`, [meta('t5')]);
    expect((await cache.list(A)).map((t) => t.id)).to.deep.equal(['t2', 't3']);
  });

  it('writes sync state in the same transaction as the snapshot', async () => {
    await cache.replaceSnapshot(A, [meta('t1')], { last_sync_at: '2026-11-23T00:00:00.000Z', offline_since: null });
    const state = await cache.getSyncState(A);
    expect(state?.last_sync_at).to.equal('2026-11-23T00:00:00.000Z');
    expect(state?.server).to.equal(A);
    expect((await cache.listServers()).map((s) => s.server)).to.deep.equal([A]);
  });

  it('a replace that fails inside the transaction leaves the old snapshot whole', async () => {
    await cache.replaceSnapshot(A, [meta('old1'), meta('old2')]);
    // Passes the secret guard but cannot be stored (a function is not cloneable): the put throws
    // after the delete of the old snapshot was already queued in the same transaction.
    const broken = meta('new2', { extra: { hook: (() => 1) as unknown as string } });
    await expectRejects(cache.replaceSnapshot(A, [meta('new1'), broken]), DOMException);
    expect((await cache.list(A)).map((t) => t.id)).to.deep.equal(['old1', 'old2']);
  });

  it('a reader racing a replace sees the old list or the new one, never a mix', async () => {
    const olds = Array.from({ length: 200 }, (_, i) => meta(`a${String(i).padStart(3, '0')}`));
    const news = Array.from({ length: 300 }, (_, i) => meta(`b${String(i).padStart(3, '0')}`));
    await cache.replaceSnapshot(A, olds);
    const writing = cache.replaceSnapshot(A, news);
    const reads = await Promise.all([cache.list(A), cache.list(A), cache.list(A)]);
    await writing;
    for (const read of reads) {
      const prefixes = new Set(read.map((t) => t.id[0]));
      expect(prefixes.size).to.equal(1);
      expect(read.length).to.equal(prefixes.has('a') ? 200 : 300);
    }
    expect(await cache.count(A)).to.equal(300);
  });

  it('upserts, gets, removes and removes many', async () => {
    await cache.replaceSnapshot(A, [meta('t1'), meta('t2'), meta('t3'), meta('t4')]);
    await cache.upsert(A, meta('t2', { status: 'disabled' }));
    await cache.upsert(A, meta('t5'));
    expect((await cache.get(A, 't2'))?.status).to.equal('disabled');
    await cache.remove(A, 't1');
    await cache.removeMany(A, ['t3', 't4', 'missing']);
    expect((await cache.list(A)).map((t) => t.id)).to.deep.equal(['t2', 't5']);
    expect(await cache.get(A, 't1')).to.equal(undefined);
  });

  it('clears one server: tokens and sync state, nothing else', async () => {
    await cache.replaceSnapshot(A, [meta('t1')], { last_sync_at: inDays(0) });
    await cache.replaceSnapshot(B, [meta('t2')], { last_sync_at: inDays(0) });
    await cache.clearServer(A);
    expect(await cache.list(A)).to.deep.equal([]);
    expect(await cache.getSyncState(A)).to.equal(undefined);
    expect((await cache.list(B)).map((t) => t.id)).to.deep.equal(['t2']);
    expect(await cache.getSyncState(B)).to.not.equal(undefined);
  });

  it('finds tokens expiring within N days across servers, soonest first', async () => {
    await cache.replaceSnapshot(A, [
      meta('a-5d', { expires_at: inDays(5) }),
      meta('a-40d', { expires_at: inDays(40) }),
      meta('a-never'),
      meta('a-gone', { expires_at: inDays(-2), status: 'expired' }),
      meta('a-off', { expires_at: inDays(3), status: 'disabled' }),
    ]);
    await cache.replaceSnapshot(B, [meta('b-1d', { expires_at: inDays(1) }), meta('b-8d', { expires_at: inDays(8) })]);
    const soon = await cache.expiringWithin(7, { now: NOW });
    expect(soon.map((e) => `${e.server} ${e.token.id}`)).to.deep.equal([`${B} b-1d`, `${A} a-5d`]);
    const withExpired = await cache.expiringWithin(7, { now: NOW, includeExpired: true, skipDisabled: false });
    expect(withExpired.map((e) => e.token.id)).to.deep.equal(['a-gone', 'b-1d', 'a-off', 'a-5d']);
    expect((await cache.expiringWithin(60, { now: NOW })).map((e) => e.token.id)).to.deep.equal(['b-1d', 'a-5d', 'b-8d', 'a-40d']);
    // An upsert moves a token in the expiry index; a removal takes it out.
    await cache.upsert(A, meta('a-40d', { expires_at: inDays(2) }));
    await cache.remove(B, 'b-1d');
    expect((await cache.expiringWithin(7, { now: NOW })).map((e) => e.token.id)).to.deep.equal(['a-40d', 'a-5d']);
  });

  it('refuses a record that carries a secret, and writes nothing of the batch', async () => {
    await cache.replaceSnapshot(A, [meta('keep')]);
    const withSecret = { ...meta('leak'), secret: 'pat_' + 'x'.repeat(36) };
    // @ts-expect-error the types refuse a token with a secret field
    await expectRejects(cache.upsert(A, withSecret), SecretRefusedError);
    // Once widened to TokenMeta the types cannot see the field; the runtime guard still does.
    const widened: TokenMeta[] = [meta('new'), withSecret];
    await expectRejects(cache.replaceSnapshot(A, widened), SecretRefusedError);
    const mattermostRaw = { ...meta('mm'), token: 'abcdefghijklmnopqrstuvwxyz' };
    // @ts-expect-error … and Mattermost's `token` field
    await expectRejects(cache.upsert(A, mattermostRaw), SecretRefusedError);
    // Secrets hidden where the types cannot see them: token-shaped values anywhere.
    const e = await expectRejects(cache.upsert(A, meta('d', { description: 'use pat_' + 'Q'.repeat(36) })), SecretRefusedError);
    expect(e.message).to.not.contain('QQQQ');
    await expectRejects(cache.upsert(A, meta('x', { extra: { cidr: ['10.0.0.0/8'], note: 'npm_' + 'a'.repeat(36) } })), SecretRefusedError);
    await expectRejects(cache.updateSyncState(A, { user: { id: 'u', username: 'pks_' + 'z'.repeat(30) } }), SecretRefusedError);
    expect((await cache.list(A)).map((t) => t.id)).to.deep.equal(['keep']);
    // Metadata that merely looks a little like a key is fine.
    await cache.upsert(A, meta('ok', { extra: { readonly: true, cidr_whitelist: ['192.168.0.0/16'] }, last4: 'pat_' }));
    expect(await cache.get(A, 'ok')).to.not.equal(undefined);
  });

  it('steps aside for a newer schema elsewhere, and reopens on the next call', async () => {
    await cache.replaceSnapshot(A, [meta('t1')]);
    // Another context deletes the database (a version change): this connection must not block it…
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('blocked by the open cache'));
    });
    // …and the next call reopens (here: a fresh, empty database at the current version).
    expect(await cache.list(A)).to.deep.equal([]);
    await cache.upsert(A, meta('t2'));
    expect((await cache.list(A)).map((t) => t.id)).to.deep.equal(['t2']);
    // A newer schema opened elsewhere: the old code says so instead of hanging.
    const newer = await openDB(name, CACHE_DB_VERSION + 1, {
      blocked: () => {
        throw new Error('blocked by the cache');
      },
    });
    newer.close();
    await expectRejects(cache.list(A), DOMException);
  });

  it('upgrades a saved version-1 database: records wrapped, indexes built, secrets dropped', async () => {
    cache.close();
    await deleteDb(name);
    // Recreate the v1 database exactly as v1 code laid it out.
    const v1 = await openDB(name, CACHE_V1.version, {
      upgrade(db) {
        for (const store of CACHE_V1.stores) {
          const s = db.createObjectStore(store.name, { keyPath: [...store.keyPath] });
          for (const index of store.indexes) s.createIndex(index.name, index.keyPath);
        }
      },
    });
    for (const record of CACHE_V1.records) await v1.put('tokens', structuredClone(record));
    v1.close();

    cache = await TokenCache.open({ name });
    expect(cache.db.version).to.equal(CACHE_DB_VERSION);
    const a = await cache.list(A);
    expect(a.map((t) => t.id)).to.deep.equal(['tok_v1a', 'tok_v1b']);
    expect(a[0]).to.deep.equal(Object.fromEntries(Object.entries(CACHE_V1.records[0]).filter(([k]) => k !== 'server')));
    expect(await cache.list(B)).to.deep.equal([]);
    const raw = await cache.db.get('tokens', [A, 'tok_v1a']);
    expect(raw?.expires_ms).to.equal(Date.parse('2026-12-01T00:00:00.000Z'));
    expect(Object.keys(raw ?? {}).sort()).to.deep.equal(['expires_ms', 'id', 'server', 'token']);
    const soon = await cache.expiringWithin(30, { now: NOW });
    expect(soon.map((e) => e.token.id)).to.deep.equal(['tok_v1a']);
    await cache.updateSyncState(A, { last_sync_at: inDays(0) });
    expect((await cache.getSyncState(A))?.last_sync_at).to.equal(inDays(0));
  });
});
