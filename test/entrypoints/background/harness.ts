/**
 * One background for the unit tests of each message family: WXT's fake browser
 * (`@webext-core/fake-browser`) for storage, alarms, badge and notifications, a fake provider for
 * the server, an in-memory metadata cache, a clock the test moves, and the granted origins and
 * registered content scripts as plain lists. Each test file calls `beforeEach(resetBackground)`.
 */
import assert from 'node:assert/strict';
import { fakeBrowser } from '@webext-core/fake-browser';
import type { BrowserApis } from '../../../entrypoints/background/browser-apis.ts';
import { BackgroundService } from '../../../entrypoints/background/service.ts';
import { memoryKeyStore, type SealKeyStore } from '../../../extension/credential-seal.ts';
import type { MetadataCacheLike } from '../../../extension/metadata-cache.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import { FakeServer } from './fake-provider.ts';

export const EXT = 'chrome-extension://test-extension-id';
export const POPUP = { id: 'test-extension-id', url: `${EXT}/popup.html` };
export const OPTIONS = { id: 'test-extension-id', url: `${EXT}/options.html`, tab: {} };
/** The role panel page in frame 3 of tab 7 (Chromium also names its document). */
export const PANEL = { id: 'test-extension-id', url: `${EXT}/role-panel.html`, tab: { id: 7 }, frameId: 3, documentId: 'doc-panel-1' };
/** The role-panel frame content script, in the top frame of tab 7 on a console at http://127.0.0.1:9000. */
export const FRAME_SCRIPT = { id: 'test-extension-id', url: 'http://127.0.0.1:9000/admin/users', tab: { id: 7 }, frameId: 0 };
export const SECRET_RE = /pat_[0-9A-Za-z]{20,}|pks_/;

export class MemoryCache implements MetadataCacheLike {
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

// Live bindings: importers read the current test's values; only this module reassigns them.
export let server: FakeServer;
export let cache: MemoryCache;
export let granted: Set<string>;
export let registered: Array<{ id: string; matches: string[]; js: string[] }>;
export let clock: number;
export let bg: BackgroundService;
export let titles: string[];
/** The sealing key's store: kept across {@link restartService}, as IndexedDB is across browser restarts. */
export let keys: SealKeyStore;

export function makeServiceApis(): BrowserApis {
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

export function makeService(): BackgroundService {
  let n = 0;
  return new BackgroundService({ browser: makeServiceApis(), providers: server.registry(), cache, credentialKeys: keys, now: () => clock, newId: (p) => `${p}${++n}` });
}

/** A service-worker restart: a new service over the same storage. */
export function restartService(): BackgroundService {
  bg = makeService();
  return bg;
}

/** Answers the following messages with this service instead. */
export function useService(service: BackgroundService): void {
  bg = service;
}

export function advanceClock(ms: number): void {
  clock += ms;
}

export function resetBackground(): void {
  fakeBrowser.reset();
  server = new FakeServer();
  cache = new MemoryCache();
  granted = new Set();
  registered = [];
  titles = [];
  keys = memoryKeyStore();
  clock = Date.parse('2026-11-23T09:00:00.000Z');
  bg = makeService();
}

export async function ask(type: string, payload: unknown, sender: object = POPUP): Promise<{ ok: boolean; value?: any; error?: any }> {
  return bg.handleMessage({ patkit: 1, type, payload }, sender);
}

export async function ok(type: string, payload: unknown, sender: object = POPUP): Promise<any> {
  const answer = await ask(type, payload, sender);
  assert.equal(answer.ok, true, `${type} failed: ${JSON.stringify(answer.error)}`);
  return answer.value;
}

/** Everything the extension stored (storage.local and the cache), to show that nothing changed. */
export async function dump(): Promise<string> {
  return JSON.stringify({ local: await fakeBrowser.storage.local.get(null), cache: [...cache.data] });
}

export async function addSignedInServer(): Promise<string> {
  granted.add('http://127.0.0.1/*');
  const view = await ok('servers.save', { name: 'Local', kind: 'patkit', baseUrl: 'http://127.0.0.1:8787/' }, OPTIONS);
  await ok('auth.signIn', { serverId: view.id, kind: 'password', username: 'alice', password: 'correct horse', keepSignedIn: false }, OPTIONS);
  return view.id;
}
