/**
 * The popup's provider ({@link RemoteProvider}) as the kit's `<pat-token-list>` calls it: the grace
 * period of a regenerate and "End grace now" reach the background and, through it, the server's
 * provider. The runtime's message channel is the one thing replaced (no extension runs in Node):
 * `runtime.sendMessage` hands a structured clone of the message to a real {@link BackgroundService}
 * as from the popup, with WXT's fake browser for storage and a fake provider for the server.
 * Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import { fakeBrowser } from '@webext-core/fake-browser';
import type { BrowserApis } from '../../../entrypoints/background/browser-apis.ts';
import { BackgroundService } from '../../../entrypoints/background/service.ts';
import { FakeServer, meta } from '../../entrypoints/background/fake-provider.ts';
import { MemoryCache, OPTIONS, POPUP } from '../../entrypoints/background/harness.ts';

let server: FakeServer;
let cache: MemoryCache;
let bg: BackgroundService;
let sent: Array<{ type: string; payload: Record<string, unknown> }>;
let client: typeof import('../../../extension/messaging/remote-provider.ts');

// `wxt/browser` picks the global `chrome` when the module loads: the channel must exist first.
(globalThis as { chrome?: unknown }).chrome = {
  runtime: {
    id: 'test-extension-id',
    sendMessage: async (message: { type: string; payload: Record<string, unknown> }) => {
      const copy = structuredClone(message);
      sent.push({ type: copy.type, payload: copy.payload });
      return structuredClone(await bg.handleMessage(copy, POPUP));
    },
  },
};

before(async () => {
  client = await import('../../../extension/messaging/remote-provider.ts');
});

beforeEach(() => {
  fakeBrowser.reset();
  server = new FakeServer();
  server.graceMax = 604_800;
  cache = new MemoryCache();
  sent = [];
  const apis = {
    runtime: fakeBrowser.runtime,
    storage: fakeBrowser.storage,
    action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined, setTitle: async () => undefined },
    alarms: fakeBrowser.alarms,
    notifications: fakeBrowser.notifications,
    permissions: { contains: async () => true },
    scripting: { registerContentScripts: async () => undefined, getRegisteredContentScripts: async () => [], unregisterContentScripts: async () => undefined },
  } as unknown as BrowserApis;
  let n = 0;
  bg = new BackgroundService({ browser: apis, providers: server.registry(), cache, now: () => Date.parse('2026-11-23T09:00:00.000Z'), newId: (p) => `${p}${++n}` });
});

async function signedInProvider(): Promise<InstanceType<typeof client.RemoteProvider>> {
  const ok = async (type: string, payload: unknown): Promise<any> => {
    const answer = await bg.handleMessage({ patkit: 1, type, payload }, OPTIONS);
    assert.equal(answer.ok, true, `${type}: ${JSON.stringify(answer)}`);
    return answer.value;
  };
  const view = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787/' });
  await ok('auth.signIn', { serverId: view.id, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false });
  const capabilities = await client.send('server.capabilities', { serverId: view.id });
  return new client.RemoteProvider(view.id, { kind: 'patkit', label: 'patkit', signIn: [], help: '' }, capabilities);
}

describe('RemoteProvider: grace rotation as the kit asks for it', () => {
  test('the server\u2019s maximum reaches the list; regenerateToken(id, confirm, { gracePeriodSeconds }) passes the grace and the password on', async () => {
    server.tokens = [meta('tok_a', { rotation: null })];
    const provider = await signedInProvider();
    assert.equal(provider.capabilities.rotationGraceMaxSeconds, 604_800, 'the list offers the grace from this');
    await provider.listTokens();
    const created = await provider.regenerateToken('tok_a', { password: 'correct horse' }, { gracePeriodSeconds: 3600 });
    assert.equal(created.token.id, 'tok_a');
    assert.match(created.secret, /\S/);
    const asked = sent.find((m) => m.type === 'tokens.regenerate')!;
    assert.deepEqual(asked.payload, { serverId: provider.serverId, tokenId: 'tok_a', confirm: { password: 'correct horse' }, gracePeriodSeconds: 3600 });
    await provider.regenerateToken('tok_a');
    assert.deepEqual(server.graces, [3600, undefined], 'the server\u2019s provider got the grace, then none');
  });

  test('regenerateToken(id, confirm, { expiresAt }) carries the compliant expiry to the server\u2019s provider in the same call', async () => {
    server.tokens = [meta('tok_a', { lifetime_exceeds_policy: true })];
    const provider = await signedInProvider();
    const expiresAt = '2027-01-06T00:00:00.000Z';
    await provider.regenerateToken('tok_a', { password: 'correct horse' }, { expiresAt });
    const asked = sent.find((m) => m.type === 'tokens.regenerate')!;
    assert.deepEqual(asked.payload, { serverId: provider.serverId, tokenId: 'tok_a', confirm: { password: 'correct horse' }, expiresAt });
    assert.deepEqual(server.expiries, [expiresAt]);
    assert.ok(!server.calls.includes('updateToken'));
  });

  test('a grace over the server\u2019s maximum is refused with a clear error and nothing is regenerated', async () => {
    server.tokens = [meta('tok_a', { rotation: null })];
    server.graceMax = 3600;
    const provider = await signedInProvider();
    await assert.rejects(provider.regenerateToken('tok_a', undefined, { gracePeriodSeconds: 86_400 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'validation_failed');
      assert.match(e.message, /at most 3600 seconds/);
      return true;
    });
    assert.deepEqual(server.graces, []);
  });

  test('endGrace(id) ends the grace on the server and answers the updated token', async () => {
    server.tokens = [meta('tok_a', { rotation: { previous_valid_until: '2026-11-23T10:00:00.000Z', previous_last4: 'wxyz' } })];
    const provider = await signedInProvider();
    assert.equal(typeof provider.endGrace, 'function', 'the list offers "End grace now" only where the provider can');
    await provider.listTokens();
    const ended = await provider.endGrace('tok_a');
    assert.equal(ended.rotation, null);
    assert.equal(server.tokens[0]!.rotation, null);
    assert.deepEqual(sent.find((m) => m.type === 'tokens.endGrace')!.payload, { serverId: provider.serverId, tokenId: 'tok_a' });
  });
});
