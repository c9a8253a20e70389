/**
 * Stale-while-revalidate in Chromium: the real provider against the real server, the real
 * IndexedDB cache. Cached list first, fresh list second; offline keeps the cache and says since
 * when; malformed answers never poison the cache; mutations update it from the server's answer.
 */
import { expect } from '@open-wc/testing';
import { ProviderError } from '../../../lib/errors.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import { ReferenceServerProvider } from '../../../lib/providers/reference-server/provider.ts';
import { TokenCache } from '../../../lib/cache/token-cache.ts';
import { TokenSync, type TokenListView } from '../../../lib/cache/stale-while-revalidate.ts';
import { newUser, unique } from '../providers/reference-server/contract.ts';
import { testEnv } from '../support/browser-env.ts';
import { afterEach, beforeEach, describe, it } from '../../support/mocha.ts';

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}

/** A fetch that answers every token-list request with `answer` and passes the rest through. */
function breakingList(answer: () => Response): typeof fetch {
  return (input, init) => (String(input).includes('/api/v1/tokens?') ? Promise.resolve(answer()) : fetch(input, init));
}

describe('TokenSync (stale-while-revalidate)', () => {
  let cache: TokenCache;
  let dbName: string;

  beforeEach(async () => {
    dbName = `patkit-sync-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    cache = await TokenCache.open({ name: dbName });
  });

  afterEach(async () => {
    cache.close();
    await deleteDb(dbName);
  });

  async function member() {
    const env = await testEnv();
    const m = await newUser(env);
    const server = m.provider.baseUrl;
    const sync = new TokenSync({ provider: m.provider, cache, server, pageSize: 2 });
    await cache.updateSyncState(server, { user: { id: m.user.id, username: m.user.username } });
    return { ...m, env, server, sync };
  }

  it('hands back the cached list at once, then the fresh one, and writes it', async () => {
    const { provider, ok, server, sync } = await member();
    const a = await provider.createToken({ name: 'a', scopes: [] }, ok);
    const b = await provider.createToken({ name: 'b', scopes: [] }, ok);
    const c = await provider.createToken({ name: 'c', scopes: [] }, ok);
    // A stale snapshot: one token the server no longer has, one it does.
    const ghost: TokenMeta = { ...a.token, id: 'tok_ghost', name: 'ghost' };
    await cache.replaceSnapshot(server, [ghost, a.token]);
    const views: TokenListView[] = [];
    const last = await sync.load((v) => views.push(v));
    expect(views.map((v) => v.source)).to.deep.equal(['cache', 'server']);
    expect(views[0]?.stale).to.equal(true);
    expect(views[0]?.tokens.map((t) => t.id).sort()).to.deep.equal([a.token.id, 'tok_ghost'].sort());
    // Paged (pageSize 2) and complete, newest first.
    expect(last.tokens.map((t) => t.id)).to.deep.equal([c.token.id, b.token.id, a.token.id]);
    expect(last.stale).to.equal(false);
    expect(last.last_sync_at).to.be.a('string');
    expect((await cache.list(server)).map((t) => t.id).sort()).to.deep.equal([a.token.id, b.token.id, c.token.id].sort());
    // The cached view now paints the same order as the fresh one.
    expect((await sync.cached()).tokens.map((t) => t.id)).to.deep.equal(last.tokens.map((t) => t.id));
  });

  it('the same through the async iterator', async () => {
    const { provider, ok, sync } = await member();
    await provider.createToken({ name: 'x', scopes: [] }, ok);
    const sources: string[] = [];
    for await (const view of sync.views()) sources.push(`${view.source}:${view.tokens.length}`);
    // Without an explicit key, the provider's normalised base URL is the server key.
    expect(new TokenSync({ provider, cache }).server).to.equal(provider.baseUrl);
    expect(sync.server).to.equal(provider.baseUrl);
    expect(sources).to.deep.equal(['cache:0', 'server:1']);
  });

  it('offline keeps the cached list and reports since when; reaching the server again clears it', async () => {
    const { provider, ok, server, sync } = await member();
    const a = await provider.createToken({ name: 'kept', scopes: [] }, ok);
    await sync.refresh();
    let clock = Date.parse('2026-11-23T10:00:00.000Z');
    const unreachable = new ReferenceServerProvider({
      baseUrl: server,
      credential: 'pks_whatever',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const offlineSync = new TokenSync({ provider: unreachable, cache, server, now: () => new Date(clock) });
    const first = await offlineSync.refresh();
    expect(first.error?.code).to.equal('offline');
    expect(first.source).to.equal('cache');
    expect(first.tokens.map((t) => t.id)).to.deep.equal([a.token.id]);
    expect(first.offline_since).to.equal('2026-11-23T10:00:00.000Z');
    clock += 60_000;
    const second = await offlineSync.refresh();
    expect(second.offline_since).to.equal('2026-11-23T10:00:00.000Z', 'still offline since the first failure');
    expect((await cache.getSyncState(server))?.last_error?.code).to.equal('offline');
    const back = await sync.refresh();
    expect(back.offline_since).to.equal(null);
    expect(back.error).to.equal(null);
    expect((await cache.getSyncState(server))?.last_error).to.equal(null);
  });

  for (const [label, answer, code] of [
    ['an HTML error page (502)', () => new Response('<html><h1>Bad gateway</h1></html>', { status: 502, headers: { 'content-type': 'text/html' } }), 'server_error'],
    ['broken JSON', () => new Response('{"items": [', { status: 200, headers: { 'content-type': 'application/json' } }), 'bad_response'],
    ['a token missing fields', () => Response.json({ items: [{ id: 'tok_x', name: 'x' }], next_cursor: null }), 'bad_response'],
    ['a list that is not a list', () => Response.json({ items: 'nope', next_cursor: null }), 'bad_response'],
    ['a 500 problem', () => Response.json({ status: 500, code: 'internal_error', detail: 'db down' }, { status: 500, headers: { 'content-type': 'application/problem+json' } }), 'server_error'],
  ] as const) {
    it(`${label} becomes a typed error and leaves the cache as it was`, async () => {
      const { provider, ok, server, sync, user } = await member();
      const a = await provider.createToken({ name: 'safe', scopes: [] }, ok);
      await sync.refresh();
      const before = await cache.list(server);
      const broken = new ReferenceServerProvider({ baseUrl: server, credential: 'pks_x', fetch: breakingList(answer), timeoutMs: 2000 });
      const view = await new TokenSync({ provider: broken, cache, server }).refresh();
      expect(view.error).to.be.instanceOf(ProviderError);
      expect(view.error?.code).to.equal(code);
      expect(view.error?.message).to.not.contain('<html');
      expect(view.tokens.map((t) => t.id)).to.deep.equal([a.token.id]);
      expect(await cache.list(server)).to.deep.equal(before);
      expect((await cache.getSyncState(server))?.user?.id).to.equal(user.id);
    });
  }

  it('mutations update the cache from the server answer; the secret never reaches IndexedDB', async () => {
    const { server, sync, ok } = await member();
    await sync.refresh();
    const created = await sync.createToken({ name: 'made', scopes: ['tokens:read'] }, ok);
    const raw = await cache.db.getAll('tokens');
    expect(JSON.stringify(raw)).to.not.contain(created.secret);
    expect((await cache.get(server, created.token.id))?.name).to.equal('made');
    await sync.updateToken(created.token.id, { name: 'renamed' });
    expect((await cache.get(server, created.token.id))?.name).to.equal('renamed');
    const disabled = await sync.disableToken(created.token.id);
    expect(disabled.status).to.equal('disabled');
    expect((await cache.get(server, created.token.id))?.status).to.equal('disabled');
    await sync.enableToken(created.token.id, ok);
    expect((await cache.get(server, created.token.id))?.status).to.equal('active');
    const regenerated = await sync.regenerateToken(created.token.id, ok);
    expect(JSON.stringify(await cache.db.getAll('tokens'))).to.not.contain(regenerated.secret);
    const clone = await sync.cloneToken(created.token.id, { name: 'twin' }, ok);
    expect((await cache.get(server, clone.token.id))?.name).to.equal('twin');
    await sync.deleteToken(created.token.id, ok);
    expect(await cache.get(server, created.token.id)).to.equal(undefined);
    const more = await sync.createToken({ name: 'more', scopes: [] }, ok);
    const deleted = await sync.bulkDeleteTokens([clone.token.id, more.token.id], ok);
    expect(deleted.length).to.equal(2);
    expect(await cache.list(server)).to.deep.equal([]);
  });

  it('a mutation answered not_found removes the token from the cache', async () => {
    const { provider, ok, server, sync } = await member();
    const a = await provider.createToken({ name: 'doomed', scopes: [] }, ok);
    await sync.refresh();
    await provider.deleteToken(a.token.id, ok);
    let code = '';
    try {
      await sync.disableToken(a.token.id);
    } catch (error) {
      code = (error as ProviderError).code;
    }
    expect(code).to.equal('not_found');
    expect(await cache.get(server, a.token.id)).to.equal(undefined);
  });

  it('signing in as someone else clears the previous snapshot; signing out clears the server', async () => {
    const first = await member();
    await first.provider.createToken({ name: 'mine', scopes: [] }, first.ok);
    await first.sync.refresh();
    expect(await cache.count(first.server)).to.equal(1);
    const second = await newUser(first.env);
    const sync = new TokenSync({ provider: new ReferenceServerProvider({ baseUrl: first.server }), cache, server: first.server });
    await sync.signIn({ kind: 'password', username: second.user.username, password: second.password });
    expect(await cache.count(first.server)).to.equal(0);
    expect((await cache.getSyncState(first.server))?.user?.id).to.equal(second.user.id);
    await second.provider.createToken({ name: unique('theirs'), scopes: [] }, second.ok);
    expect((await sync.refresh()).tokens.length).to.equal(1);
    await sync.signOut();
    expect(await cache.count(first.server)).to.equal(0);
    expect(await cache.getSyncState(first.server)).to.equal(undefined);
  });
});
