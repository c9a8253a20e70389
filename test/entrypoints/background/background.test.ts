/**
 * The background's message handling, with WXT's fake browser (`@webext-core/fake-browser`) for
 * storage, alarms, badge and notifications, a fake provider for the server, and an in-memory
 * metadata cache. Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import { BackgroundService, PANEL_SCRIPT, type BrowserApis, type MetadataCacheLike } from '../../../entrypoints/background/service.ts';
import { SETTINGS_KEY, SETTINGS_VERSION, migrateSettings, loadSettings } from '../../../extension/settings.ts';
import { PENDING_KEY, PENDING_TTL_MS } from '../../../entrypoints/background/vault.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import { FakeServer, meta } from './fake-provider.ts';

const EXT = 'chrome-extension://test-extension-id';
const POPUP = { id: 'test-extension-id', url: `${EXT}/popup.html` };
const OPTIONS = { id: 'test-extension-id', url: `${EXT}/options.html`, tab: {} };
const PANEL = { id: 'test-extension-id', url: `${EXT}/panel.html`, frameId: 3 };
const SECRET_RE = /pat_[0-9A-Za-z]{20,}|pks_/;

class MemoryCache implements MetadataCacheLike {
  data = new Map<string, { items: TokenMeta[]; cachedAt: string }>();
  async read(serverId: string) {
    return structuredClone(this.data.get(serverId) ?? null);
  }
  async write(serverId: string, items: TokenMeta[], cachedAt: string) {
    this.data.set(serverId, structuredClone({ items, cachedAt }));
  }
  async clear(serverId: string) {
    this.data.delete(serverId);
  }
}

let server: FakeServer;
let cache: MemoryCache;
let granted: Set<string>;
let registered: Array<{ id: string; matches: string[]; js: string[] }>;
let clock: number;
let bg: BackgroundService;
let titles: string[];

function makeService(): BackgroundService {
  let n = 0;
  return new BackgroundService({ browser: makeServiceApis(), providers: server.registry(), cache, now: () => clock, newId: (p) => `${p}${++n}` });
}

function makeServiceApis(): BrowserApis {
  const browser = {
    runtime: fakeBrowser.runtime,
    storage: fakeBrowser.storage,
    action: {
      setBadgeText: (d: { text: string }) => fakeBrowser.action.setBadgeText(d),
      setBadgeBackgroundColor: (d: { color: string }) => fakeBrowser.action.setBadgeBackgroundColor(d),
      setTitle: async ({ title }: { title: string }) => void titles.push(title),
    },
    alarms: fakeBrowser.alarms,
    notifications: fakeBrowser.notifications,
    permissions: { contains: async ({ origins }: { origins: string[] }) => origins.every((o) => granted.has(o)) },
    scripting: {
      registerContentScripts: async (scripts: typeof registered) => void registered.push(...scripts),
      getRegisteredContentScripts: async () => registered.map((s) => ({ id: s.id })),
      unregisterContentScripts: async ({ ids }: { ids?: string[] } = {}) => {
        registered = registered.filter((s) => !(ids ?? []).includes(s.id));
      },
    },
  } as unknown as BrowserApis;
  return browser;
}

async function ask(type: string, payload: unknown, sender: object = POPUP): Promise<{ ok: boolean; value?: any; error?: any }> {
  return bg.handleMessage({ patkit: 1, type, payload }, sender);
}

async function ok(type: string, payload: unknown, sender: object = POPUP): Promise<any> {
  const answer = await ask(type, payload, sender);
  assert.equal(answer.ok, true, `${type} failed: ${JSON.stringify(answer.error)}`);
  return answer.value;
}

async function dump(): Promise<string> {
  return JSON.stringify({ local: await fakeBrowser.storage.local.get(null), cache: [...cache.data] });
}

async function addSignedInServer(): Promise<string> {
  granted.add('http://127.0.0.1/*');
  const view = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787/' }, OPTIONS);
  await ok('auth.signIn', { serverId: view.id, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false }, OPTIONS);
  return view.id;
}

beforeEach(() => {
  fakeBrowser.reset();
  server = new FakeServer();
  cache = new MemoryCache();
  granted = new Set();
  registered = [];
  titles = [];
  clock = Date.parse('2026-11-23T09:00:00.000Z');
  bg = makeService();
});

describe('senders', () => {
  test('a content script (a web page URL) is refused and nothing changes', async () => {
    const before = await dump();
    const answer = await ask('servers.list', {}, { id: 'test-extension-id', url: 'https://evil.example/', tab: { id: 1 } });
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'forbidden');
    assert.equal(await dump(), before);
  });

  test('another extension is refused even with an extension-page URL', async () => {
    const answer = await ask('servers.list', {}, { id: 'other-extension', url: 'chrome-extension://other-extension/popup.html' });
    assert.equal(answer.error.code, 'forbidden');
    const spoof = await ask('servers.list', {}, { id: 'other-extension', url: `${EXT}/popup.html` });
    assert.equal(spoof.error.code, 'forbidden');
  });

  test('a sender without a URL is refused', async () => {
    assert.equal((await ask('servers.list', {}, { id: 'test-extension-id' })).error.code, 'forbidden');
  });

  test('the console panel page cannot create, reveal or sign in', async () => {
    const serverId = await addSignedInServer();
    for (const [type, payload] of [
      ['tokens.create', { serverId, draft: { name: 'x' } }],
      ['tokens.regenerate', { serverId, tokenId: 'tok_1' }],
      ['pending.get', {}],
      ['auth.signIn', { serverId, kind: 'token', token: 'x', keepSignedIn: false }],
      ['servers.list', {}],
    ] as const) {
      const answer = await ask(type, payload, PANEL);
      assert.equal(answer.ok, false, type);
      assert.equal(answer.error.code, 'forbidden', type);
    }
    assert.deepEqual(server.calls.filter((c) => c === 'createToken' || c === 'regenerateToken'), []);
  });

  test('the panel may only reach servers mapped to a panel', async () => {
    const serverId = await addSignedInServer();
    assert.equal((await ask('roles.list', { serverId }, PANEL)).error.code, 'forbidden');
    granted.add('http://127.0.0.1/*');
    await ok('panels.save', { pattern: 'http://127.0.0.1:9000/*', serverId, inventory: false }, OPTIONS);
    assert.deepEqual(await ok('roles.list', { serverId }, PANEL), []);
    const ctx = await ok('panels.context', { origin: 'http://127.0.0.1:9000' }, PANEL);
    assert.equal(ctx.server.id, serverId);
    assert.ok(!SECRET_RE.test(JSON.stringify(ctx)), 'no credential in the panel context');
    assert.equal((await ask('panels.context', { origin: 'https://other.example' }, PANEL)).error.code, 'not_found');
  });
});

describe('validation', () => {
  test('garbage, unknown types and unknown fields get validation_failed and change nothing', async () => {
    const serverId = await addSignedInServer();
    const before = await dump();
    server.calls.length = 0; // sign-in's own first refresh
    const cases: unknown[] = [
      null,
      'servers.list',
      { patkit: 2, type: 'servers.list', payload: {} },
      { patkit: 1, type: 'servers.drop', payload: {} },
      { patkit: 1, type: '__proto__', payload: {} },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: '' } } },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: 'x', scopes: 'tokens:read' } } },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: 'x', expires_at: 'tomorrow' } } },
      { patkit: 1, type: 'tokens.create', payload: { serverId, draft: { name: 'x' }, secret: 'pat_x' } },
      { patkit: 1, type: 'tokens.delete', payload: { serverId, tokenId: ['tok_1'] } },
      { patkit: 1, type: 'tokens.delete', payload: { serverId: '../../etc', tokenId: 'tok_1' } },
      { patkit: 1, type: 'alerts.save', payload: { expiryWarningDays: -1 } },
      { patkit: 1, type: 'alerts.save', payload: { expiryWarningDays: 1.5 } },
      { patkit: 1, type: 'servers.save', payload: { name: 'x', kind: 'patkit', baseUrl: 'http://tokens.example.com' } },
      { patkit: 1, type: 'servers.save', payload: { name: 'x', kind: 'patkit', baseUrl: 'javascript:alert(1)' } },
      { patkit: 1, type: 'servers.save', payload: { name: 'x', kind: 'patkit', baseUrl: 'https://u:p@tokens.example.com' } },
      { patkit: 1, type: 'panels.save', payload: { pattern: '<all_urls>', serverId, inventory: false } },
      { patkit: 1, type: 'panels.save', payload: { pattern: 'https://*/*', serverId, inventory: false } },
      { patkit: 1, type: 'auth.signIn', payload: { serverId, kind: 'password', username: 'alice', password: 'x'.repeat(5000), keepSignedIn: false } },
    ];
    for (const message of cases) {
      const answer = await bg.handleMessage(message, POPUP);
      assert.equal(answer.ok, false, JSON.stringify(message).slice(0, 100));
      assert.equal((answer as { error: { code: string } }).error.code, 'validation_failed', JSON.stringify(message).slice(0, 100));
    }
    assert.equal(await dump(), before);
    assert.deepEqual(server.calls, []);
  });

  test('an error names the field so a page can show it', async () => {
    const answer = await ask('servers.save', { name: 'x', kind: 'patkit', baseUrl: 'http://tokens.example.com' }, OPTIONS);
    assert.match(answer.error.message, /baseUrl: must use https/);
    assert.equal(answer.error.fieldErrors[0].field, 'baseUrl');
  });
});

describe('servers and sign-in', () => {
  test('saving a server needs its origin granted first', async () => {
    const denied = await ask('servers.save', { name: 'Work', kind: 'patkit', baseUrl: 'https://tokens.example.com' }, OPTIONS);
    assert.equal(denied.error.code, 'forbidden');
    assert.deepEqual(await ok('servers.list', {}), []);
    granted.add('https://tokens.example.com/*');
    const view = await ok('servers.save', { name: 'Work', kind: 'patkit', baseUrl: 'https://tokens.example.com/' }, OPTIONS);
    assert.equal(view.baseUrl, 'https://tokens.example.com');
    assert.equal(view.state, 'signed_out');
    const unknownKind = await ask('servers.save', { name: 'W', kind: 'gitlab', baseUrl: 'https://tokens.example.com' }, OPTIONS);
    assert.equal(unknownKind.error.code, 'validation_failed');
  });

  test('the credential goes to storage.session, never storage.local', async () => {
    const serverId = await addSignedInServer();
    const local = JSON.stringify(await fakeBrowser.storage.local.get(null));
    const session = JSON.stringify(await fakeBrowser.storage.session.get(null));
    assert.ok(!local.includes(server.credential));
    assert.ok(session.includes(server.credential));
    const [view] = await ok('servers.list', {});
    assert.equal(view.state, 'signed_in');
    assert.equal(view.user.username, 'alice');
    assert.equal(view.keepSignedIn, false);
    assert.ok(!JSON.stringify(view).includes(server.credential), 'pages never see the credential');
    // A service worker restart: a new service instance finds the credential again.
    bg = makeService();
    assert.equal((await ok('tokens.list', { serverId })).offline, false);
  });

  test('"keep me signed in" stores the credential in storage.local, and only there', async () => {
    granted.add('http://127.0.0.1/*');
    const { id } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const view = await ok('auth.signIn', { serverId: id, kind: 'token', token: server.credential, keepSignedIn: true }, OPTIONS);
    assert.equal(view.keepSignedIn, true);
    assert.ok(JSON.stringify(await fakeBrowser.storage.local.get(null)).includes(server.credential));
    assert.ok(!JSON.stringify(await fakeBrowser.storage.session.get(null)).includes(server.credential));
    await ok('auth.signOut', { serverId: id }, OPTIONS);
    assert.ok(!JSON.stringify(await fakeBrowser.storage.local.get(null)).includes(server.credential));
  });

  test('a wrong password is reported and stores nothing', async () => {
    granted.add('http://127.0.0.1/*');
    const { id } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const answer = await ask('auth.signIn', { serverId: id, kind: 'password', username: 'alice', password: 'nope', keepSignedIn: false }, OPTIONS);
    assert.equal(answer.error.code, 'unauthorized');
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {});
  });

  test('signing out clears the cache, the credential and a pending secret (SECURITY 23)', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.list', { serverId });
    await ok('tokens.create', { serverId, draft: { name: 'ci' } });
    assert.ok(cache.data.has(serverId));
    const view = await ok('auth.signOut', { serverId }, OPTIONS);
    assert.equal(view.state, 'signed_out');
    assert.equal(cache.data.has(serverId), false);
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {});
    assert.equal((await ask('tokens.list', { serverId })).error.code, 'unauthorized');
  });

  test('removing a server clears its cache, credential and panels', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.list', { serverId });
    granted.add('http://127.0.0.1/*');
    await ok('panels.save', { pattern: 'http://127.0.0.1:9000/*', serverId, inventory: false }, OPTIONS);
    assert.equal(registered.length, 1);
    await ok('servers.remove', { serverId }, OPTIONS);
    assert.equal(cache.data.size, 0);
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {});
    assert.deepEqual(await ok('panels.list', {}), []);
    assert.equal(registered.length, 0);
  });

  test('a 401 from the server signs the server out locally', async () => {
    const serverId = await addSignedInServer();
    server.credential = 'pks_rotated';
    assert.equal((await ask('tokens.list', { serverId })).error.code, 'unauthorized');
    const [view] = await ok('servers.list', {});
    assert.equal(view.state, 'signed_out');
  });
});

describe('tokens', () => {
  test('list refreshes the cache; offline answers the cached copy with its time', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a'), meta('tok_b')];
    const fresh = await ok('tokens.list', { serverId });
    assert.equal(fresh.offline, false);
    assert.equal(fresh.items.length, 2);
    assert.equal(fresh.cachedAt, new Date(clock).toISOString());
    server.offline = true;
    clock += 60_000;
    const stale = await ok('tokens.list', { serverId });
    assert.equal(stale.offline, true);
    assert.deepEqual(stale.items.map((t: TokenMeta) => t.id), ['tok_a', 'tok_b']);
    assert.equal(stale.cachedAt, fresh.cachedAt);
    const [view] = await ok('servers.list', {});
    assert.equal(view.state, 'offline');
  });

  test('create: the secret reaches the page and storage.session only, and the pending secret is offered again', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.list', { serverId });
    const created = await ok('tokens.create', { serverId, draft: { name: 'deploy' } });
    assert.match(created.secret, /^pat_/);
    const pending = await ok('pending.get', {});
    assert.equal(pending.secret, created.secret);
    assert.equal(pending.token.id, created.token.id);
    assert.equal(Date.parse(pending.expiresAt), clock + PENDING_TTL_MS);
    assert.ok(!(await dump()).includes(created.secret), 'no secret in storage.local or the cache');
    assert.equal(cache.data.get(serverId)?.items[0]?.id, created.token.id, 'the cache has the new metadata');
    const alarms = await fakeBrowser.alarms.getAll();
    assert.ok(alarms.some((a) => a.name === 'patkit:pending-wipe'));
  });

  test('confirming wipes the pending secret; confirming another token id does not', async () => {
    const serverId = await addSignedInServer();
    const created = await ok('tokens.create', { serverId, draft: { name: 'deploy' } });
    await ok('pending.confirm', { tokenId: 'tok_other' });
    assert.notEqual(await ok('pending.get', {}), null);
    await ok('pending.confirm', { tokenId: created.token.id });
    assert.equal(await ok('pending.get', {}), null);
    assert.equal((await fakeBrowser.storage.session.get(PENDING_KEY))[PENDING_KEY], undefined);
  });

  test('after five minutes the pending secret is gone (read or alarm)', async () => {
    const serverId = await addSignedInServer();
    await ok('tokens.create', { serverId, draft: { name: 'deploy' } });
    clock += PENDING_TTL_MS - 1;
    assert.notEqual(await ok('pending.get', {}), null);
    clock += 2;
    await bg.onAlarm('patkit:pending-wipe');
    assert.equal((await fakeBrowser.storage.session.get(PENDING_KEY))[PENDING_KEY], undefined);
    assert.equal(await ok('pending.get', {}), null);
  });

  test('regenerate holds the new secret like create; disable, enable and delete update the cache', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a'), meta('tok_b')];
    await ok('tokens.list', { serverId });
    const regenerated = await ok('tokens.regenerate', { serverId, tokenId: 'tok_a' });
    assert.equal((await ok('pending.get', {})).secret, regenerated.secret);
    assert.equal((await ok('tokens.disable', { serverId, tokenId: 'tok_b' })).status, 'disabled');
    assert.equal(cache.data.get(serverId)?.items.find((t) => t.id === 'tok_b')?.status, 'disabled');
    assert.equal((await ok('tokens.enable', { serverId, tokenId: 'tok_b' })).status, 'active');
    await ok('tokens.delete', { serverId, tokenId: 'tok_a' });
    assert.deepEqual(cache.data.get(serverId)?.items.map((t) => t.id), ['tok_b']);
    assert.equal(await ok('pending.get', {}), null, 'deleting the token drops its pending secret');
  });

  test('clone makes a new token, holds its secret like create, adds it to the cache; an admin copy needs the acknowledgement', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a', { name: 'ci', scopes: ['tokens:read'] }), meta('tok_root', { name: 'root', scopes: ['admin'] })];
    await ok('tokens.list', { serverId });
    const cloned = await ok('tokens.clone', { serverId, tokenId: 'tok_a' });
    assert.equal(cloned.token.name, 'ci (copy)');
    assert.deepEqual(cloned.token.scopes, ['tokens:read']);
    assert.equal((await ok('pending.get', {})).secret, cloned.secret);
    assert.ok(cache.data.get(serverId)?.items.some((t) => t.id === cloned.token.id));
    assert.ok(!JSON.stringify(cache.data.get(serverId)).includes(cloned.secret), 'the cache holds metadata only');
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_root' })).error.code, 'admin_token_acknowledgement_required');
    const admin = await ok('tokens.clone', { serverId, tokenId: 'tok_root', overrides: { name: 'root 2' }, confirm: { acknowledge_admin_token: true } });
    assert.equal(admin.token.name, 'root 2');
    // Bad input changes nothing; the console panel may not clone (it never receives a secret).
    const before = server.tokens.length;
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_a', overrides: { owner_id: 'bob' } })).error.code, 'validation_failed');
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_a', overrides: { name: '' } })).error.code, 'validation_failed');
    assert.equal((await ask('tokens.clone', { serverId, tokenId: 'tok_a' }, PANEL)).error.code, 'forbidden');
    assert.equal(server.tokens.length, before);
  });

  for (const keep of [false, true]) {
    test(`regenerating the signed-in token itself stores the new credential (${keep ? 'storage.local' : 'storage.session'})`, async () => {
      granted.add('http://127.0.0.1/*');
      const { id: serverId } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
      await ok('auth.signIn', { serverId, kind: 'token', token: server.credential, keepSignedIn: keep }, OPTIONS);
      server.tokens = [meta('tok_self')];
      server.selfTokenId = 'tok_self';
      const old = server.credential;
      await ok('tokens.regenerate', { serverId, tokenId: 'tok_self' });
      const area = keep ? fakeBrowser.storage.local : fakeBrowser.storage.session;
      assert.ok(JSON.stringify(await area.get(null)).includes(server.credential), 'the new credential is stored where the old one was');
      assert.ok(!JSON.stringify(await area.get(null)).includes(old), 'the dead one is gone');
      // A service-worker restart loads the stored credential: still signed in.
      bg = makeService();
      assert.equal((await ok('tokens.list', { serverId })).offline, false);
      assert.equal((await ok('auth.status', { serverId })).state, 'signed_in');
    });
  }
});

describe('two-factor sign-in', () => {
  test('a password sign-in that needs a one-time code says so, and succeeds with the code', async () => {
    granted.add('http://127.0.0.1/*');
    server.otp = '123456';
    const { id: serverId } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const creds = { serverId, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false };
    const first = await ask('auth.signIn', creds, OPTIONS);
    assert.equal(first.error.code, 'otp_required');
    assert.deepEqual(await fakeBrowser.storage.session.get(null), {}, 'nothing stored without the code');
    assert.equal((await ask('auth.signIn', { ...creds, otp: '000000' }, OPTIONS)).error.code, 'otp_required');
    const view = await ok('auth.signIn', { ...creds, otp: '123456' }, OPTIONS);
    assert.equal(view.state, 'signed_in');
  });

  test('a malformed one-time code is refused before the provider is asked', async () => {
    granted.add('http://127.0.0.1/*');
    const { id: serverId } = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' }, OPTIONS);
    const before = server.calls.length;
    for (const otp of ['', '12', '12345678901', 'abcdef', 42]) {
      const answer = await ask('auth.signIn', { serverId, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false, otp }, OPTIONS);
      assert.equal(answer.error.code, 'validation_failed', `otp ${JSON.stringify(otp)}`);
    }
    assert.equal(server.calls.length, before);
  });
});

describe('alerts', () => {
  const inDays = (d: number): string => new Date(clock + d * 86_400_000).toISOString();

  test('the badge counts active tokens expiring within the configured days', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [
      meta('tok_soon', { expires_at: inDays(2) }),
      meta('tok_edge', { expires_at: inDays(7) }),
      meta('tok_later', { expires_at: inDays(20) }),
      meta('tok_never'),
      meta('tok_past', { expires_at: inDays(-1), status: 'expired' }),
      meta('tok_off', { expires_at: inDays(1), status: 'disabled' }),
    ];
    await ok('tokens.list', { serverId });
    assert.equal(await fakeBrowser.action.getBadgeText({}), '2');
    await ok('alerts.save', { expiryWarningDays: 30 }, OPTIONS);
    assert.equal(await fakeBrowser.action.getBadgeText({}), '3');
    await ok('alerts.save', { expiryWarningDays: 1 }, OPTIONS);
    assert.equal(await fakeBrowser.action.getBadgeText({}), '');
  });

  test('signing in fills the badge at once, and the toolbar title says what the number counts', async () => {
    server.tokens = [meta('tok_soon', { expires_at: inDays(2) }), meta('tok_later', { expires_at: inDays(20) })];
    await addSignedInServer();
    assert.equal(await fakeBrowser.action.getBadgeText({}), '1', 'no alarm, no popup: the sign-in refreshed');
    assert.equal(titles.at(-1), 'patkit — 1 token(s) expire within 7 days');
  });

  test('a server whose sign-in is gone (restart without "Keep me signed in") no longer counts on the badge', async () => {
    server.tokens = [meta('tok_soon', { expires_at: inDays(2) })];
    await addSignedInServer();
    assert.equal(await fakeBrowser.action.getBadgeText({}), '1');
    await fakeBrowser.storage.session.clear(); // what a browser restart does to storage.session
    bg = makeService();
    await bg.start();
    assert.equal(await fakeBrowser.action.getBadgeText({}), '');
    assert.equal(titles.at(-1), 'patkit — personal access tokens');
  });

  test('the refresh alarm refreshes, and the notification names the tokens once a day', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_soon', { name: 'deploy-bot', expires_at: inDays(2) })];
    await bg.onAlarm('patkit:refresh');
    assert.ok(cache.data.has(serverId));
    const notes = fakeBrowser.notifications.getAllCreateOptions();
    assert.equal(Object.keys(notes).length, 1);
    assert.match(notes['patkit-expiring']!.message, /deploy-bot \(Local\) — in 2 days/);
    // A click on it opens the popup; where the browser refuses, a tab with the popup page.
    const opened: string[] = [];
    const clickService = new BackgroundService({
      browser: { ...makeServiceApis(), action: { ...makeServiceApis().action, openPopup: async () => void opened.push('popup') } },
      providers: server.registry(),
      cache,
    });
    await clickService.onNotificationClicked('patkit-expiring');
    assert.deepEqual(opened, ['popup']);
    const refusing = new BackgroundService({
      browser: {
        ...makeServiceApis(),
        action: { ...makeServiceApis().action, openPopup: async () => Promise.reject(new Error('no user gesture')) },
        tabs: { create: async ({ url }: { url: string }) => void opened.push(url) },
      },
      providers: server.registry(),
      cache,
    });
    await refusing.onNotificationClicked('patkit-expiring');
    assert.match(opened.at(-1)!, /\/popup\.html$/);
    await fakeBrowser.notifications.clear('patkit-expiring');
    await bg.onAlarm('patkit:refresh');
    assert.equal(Object.keys(fakeBrowser.notifications.getAllCreateOptions()).length, 0, 'not twice on one day');
    clock += 86_400_000;
    await bg.onAlarm('patkit:refresh');
    assert.equal(Object.keys(fakeBrowser.notifications.getAllCreateOptions()).length, 1, 'again the next day');
  });

  test('start() schedules the refresh alarm with the configured period', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: JSON.parse(readFileSync(new URL('../../extension/fixtures/settings-v2.json', import.meta.url), 'utf8')) });
    await bg.start();
    const alarm = (await fakeBrowser.alarms.getAll()).find((a) => a.name === 'patkit:refresh');
    assert.equal(alarm?.periodInMinutes, 60);
  });
});

describe('console panels', () => {
  test('a mapping registers the content script only after its origin is granted', async () => {
    const serverId = await addSignedInServer();
    const denied = await ask('panels.save', { pattern: 'https://console.example.com/admin/*', serverId, inventory: true }, OPTIONS);
    assert.equal(denied.error.code, 'forbidden');
    assert.equal(registered.length, 0);
    granted.add('https://console.example.com/*');
    const panel = await ok('panels.save', { pattern: 'https://console.example.com/admin/*', serverId, inventory: true }, OPTIONS);
    assert.deepEqual(registered, [
      { id: `patkit-panel-${panel.id}`, matches: ['https://console.example.com/admin/*'], js: [PANEL_SCRIPT], runAt: 'document_idle', persistAcrossSessions: true },
    ]);
    granted.clear();
    await bg.syncPanelScripts(await ok('panels.list', {}));
    assert.equal(registered.length, 0, 'a revoked origin unregisters the script');
  });
});

describe('settings migrations', () => {
  const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../extension/fixtures/${name}`, import.meta.url), 'utf8'));

  test('version 1 (saved fixture) migrates to the current version', async () => {
    const { settings, migrated } = migrateSettings(fixture('settings-v1.json'));
    assert.equal(migrated, true);
    assert.equal(settings.version, SETTINGS_VERSION);
    assert.deepEqual(settings.servers, [
      { id: 'srv_a1', name: 'Work', kind: 'patkit', baseUrl: 'https://tokens.example.com' },
      { id: 'srv_b2', name: 'http://127.0.0.1:8787', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787' },
    ]);
    assert.deepEqual(settings.panels, []);
    assert.deepEqual(settings.alerts, { expiryWarningDays: 14, notify: true, refreshMinutes: 30 });
  });

  test('version 2 (saved fixture) loads unchanged', () => {
    const { settings, migrated } = migrateSettings(fixture('settings-v2.json'));
    assert.equal(migrated, false);
    assert.deepEqual(settings, fixture('settings-v2.json'));
  });

  test('loading writes the migrated settings back, once', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: fixture('settings-v1.json') });
    const loaded = await loadSettings(fakeBrowser.storage.local);
    assert.deepEqual((await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY], loaded);
    const [view] = await ok('servers.list', {});
    assert.equal(view.name, 'Work');
  });

  test('nothing stored, garbage, or a newer version give defaults', () => {
    assert.equal(migrateSettings(undefined).settings.servers.length, 0);
    assert.equal(migrateSettings('nonsense').discarded, true);
    assert.equal(migrateSettings([1, 2]).discarded, true);
    assert.equal(migrateSettings({ version: 99, servers: [{}] }).discarded, true);
    assert.equal(migrateSettings({ version: 99, servers: [{}] }).settings.servers.length, 0);
  });
});

describe('leaked secrets', () => {
  const leaked = `pat_${'Lk9'.repeat(12)}`;

  test('a patkit token goes to the chosen patkit server\u2019s report, trimmed, with no sign-in; nothing is stored', async () => {
    granted.add('http://127.0.0.1/*');
    const view = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787/' }, OPTIONS);
    const answer = await ok('leaked.revoke', { secret: `  ${leaked}\n`, serverId: view.id });
    assert.deepEqual(answer, { outcome: 'reported', token: null, kind: 'patkit', target: 'patkit', serverName: 'Local' });
    assert.deepEqual(server.reported, [leaked]);
    const stored = JSON.stringify({ local: await fakeBrowser.storage.local.get(null), session: await fakeBrowser.storage.session.get(null), cache: [...cache.data] });
    assert.ok(!stored.includes(leaked), 'the leaked value is in no storage and no cache');
  });

  test('bad input changes nothing and reaches no server: unrecognised, wrong kind of server, no server, origin not granted, from the panel', async () => {
    const serverId = await addSignedInServer();
    const before = await dump();
    const cases: Array<[unknown, string, RegExp]> = [
      [{ secret: 'hunter2hunter2', serverId }, 'validation_failed', /Not recognised.*Known kinds/],
      [{ secret: `pat_${'a'.repeat(10)}`, serverId }, 'validation_failed', /too short/],
      [{ secret: `glpat-${'a'.repeat(20)}`, serverId }, 'validation_failed', /GitLab personal access token; Local is not a gitlab server/],
      [{ secret: leaked }, 'validation_failed', /Choose the patkit server/],
      [{ secret: leaked, serverId: 'srv_gone' }, 'not_found', /not configured/],
      [{ secret: `ghp_${'a'.repeat(36)}`, serverId }, 'validation_failed', /GitHub tokens go to GitHub/],
      [{ secret: 'x'.repeat(1000), serverId }, 'validation_failed', /at most/],
      [{ secret: leaked, serverId, extra: 1 }, 'validation_failed', /not a known field/],
      [{ secret: 42, serverId }, 'validation_failed', /must be a string/],
    ];
    for (const [payload, code, message] of cases) {
      const answer = await ask('leaked.revoke', payload);
      assert.equal(answer.ok, false, JSON.stringify(payload));
      assert.equal(answer.error.code, code, JSON.stringify(answer.error));
      assert.match(answer.error.message, message);
    }
    granted.delete('http://127.0.0.1/*');
    const refused = await ask('leaked.revoke', { secret: leaked, serverId });
    assert.equal(refused.error.code, 'forbidden');
    granted.add('http://127.0.0.1/*');
    granted.add(`${EXT}/*`);
    const panel = await ask('leaked.revoke', { secret: leaked, serverId }, PANEL);
    assert.equal(panel.error.code, 'forbidden');
    assert.deepEqual(server.reported, []);
    assert.equal(await dump(), before);
  });

  test('a GitHub token goes to GitHub only once api.github.com is granted; the exact call (loopback stand-in: no network here)', async () => {
    const seen: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];
    const { createServer } = await import('node:http');
    const gh = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((done) => gh.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(gh.address() as { port: number }).port}`;
    try {
      bg = new BackgroundService({ browser: makeServiceApis(), providers: server.registry(), cache, githubApi: async () => url });
      const ghp = `ghp_${'Gh7'.repeat(12)}`;
      const refused = await ask('leaked.revoke', { secret: ghp });
      assert.equal(refused.error.code, 'forbidden');
      assert.match(refused.error.message, /api\.github\.com/);
      assert.equal(seen.length, 0, 'nothing sent without the permission');
      granted.add('https://api.github.com/*');
      assert.deepEqual(await ok('leaked.revoke', { secret: ghp }), { outcome: 'reported', token: null, kind: 'github_classic', target: 'github', serverName: null });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.path, '/credentials/revoke');
      assert.equal(seen[0]!.headers['x-github-api-version'], '2022-11-28');
      assert.deepEqual(JSON.parse(seen[0]!.body), { credentials: [ghp] });
      assert.deepEqual(server.reported, [], 'no configured server saw it');
    } finally {
      await new Promise((done) => gh.close(done));
    }
  });
});

describe('rotation with a grace period', () => {
  test('regenerate passes the grace period (up to the server\u2019s maximum); end grace updates the cache', async () => {
    const serverId = await addSignedInServer();
    server.tokens = [meta('tok_a', { rotation: null })];
    await ok('tokens.list', { serverId });
    const over = await ask('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: 3600 });
    assert.equal(over.error.code, 'validation_failed');
    assert.match(over.error.message, /cannot keep the old value working/);
    server.graceMax = 86_400;
    const tooLong = await ask('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: 604_800 });
    assert.match(tooLong.error.message, /at most 86400 seconds/);
    assert.equal((await ask('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: -1 })).error.code, 'validation_failed');
    assert.deepEqual(server.graces, [], 'refused before the provider was asked');
    await ok('tokens.regenerate', { serverId, tokenId: 'tok_a', gracePeriodSeconds: 3600 });
    await ok('tokens.regenerate', { serverId, tokenId: 'tok_a' });
    assert.deepEqual(server.graces, [3600, undefined]);
    server.tokens[0]!.rotation = { previous_valid_until: '2026-11-23T10:00:00.000Z', previous_last4: 'wxyz' };
    await ok('tokens.list', { serverId });
    const ended = await ok('tokens.endGrace', { serverId, tokenId: 'tok_a' });
    assert.equal(ended.rotation, null);
    assert.equal(cache.data.get(serverId)?.items[0]?.rotation, null);
  });
});
