/**
 * The popup's first-paint script against Chromium's real IndexedDB: it paints the rows the list
 * showed first last time straight from the metadata cache, reading only those rows, and shows them
 * as soon as they are read (not a storage round trip later, when the read's transaction commits).
 * The extension's `chrome.i18n` does not exist on a test page: a stand-in answers with the key.
 */
import { expect } from '@open-wc/testing';
import { CACHE_DB_NAME } from '../../../lib/cache/schema.ts';
import { TokenCache } from '../../../lib/cache/token-cache.ts';
import type { TokenMeta } from '../../../lib/model.ts';
import firstPaint from '../../../entrypoints/popup-first-paint/index.ts';
import { afterEach, beforeEach, describe, it } from '../../support/mocha.ts';

const SERVER = 'srv_first_paint';
const NOW = Date.now();
const DAY = 86_400_000;

function meta(i: number): TokenMeta {
  return {
    id: `tok_${String(i).padStart(4, '0')}`,
    owner: { kind: 'user', id: 'u1', username: 'alice', display_name: 'Alice' },
    name: `token ${i}`,
    description: '',
    created_at: new Date(NOW - i * 60_000).toISOString(),
    created_by: null,
    updated_at: null,
    expires_at: new Date(NOW + 30 * DAY).toISOString(),
    scopes: ['tokens:read'],
    status: 'active',
    last_used_at: null,
    last_used_ip: null,
    last4: 'wxyz',
  };
}

const deleteDatabase = (): Promise<void> =>
  new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(CACHE_DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });

/** Runs the script (a classic script in the extension; here its `main`) until it says it is done. */
async function runFirstPaint(): Promise<HTMLOListElement> {
  const done = new Promise<void>((resolve) => document.addEventListener('patkit-first-paint', () => resolve(), { once: true }));
  firstPaint.main();
  await done;
  return document.getElementById('first-paint') as HTMLOListElement;
}

const names = (list: HTMLElement): string[] => [...list.querySelectorAll('li .name')].map((n) => n.textContent ?? '');

describe('popup first paint', () => {
  const realGetAll = { store: IDBObjectStore.prototype.getAll, index: IDBIndex.prototype.getAll };
  const realTransaction = IDBDatabase.prototype.transaction;
  let getAllCalls = 0;

  beforeEach(async () => {
    await deleteDatabase();
    const cache = await TokenCache.open();
    await cache.replaceSnapshot(SERVER, Array.from({ length: 50 }, (_, i) => meta(i)), { last_sync_at: new Date(NOW).toISOString(), last_attempt_at: null, last_error: null, offline_since: null });
    cache.close();
    document.body.replaceChildren(Object.assign(document.createElement('ol'), { id: 'first-paint', hidden: true }));
    delete document.documentElement.dataset.firstPaint;
    (globalThis as unknown as { chrome: unknown }).chrome = { i18n: { getMessage: (key: string) => key } };
    localStorage.setItem('patkit:popup-server', SERVER);
    getAllCalls = 0;
    IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
      getAllCalls += 1;
      return realGetAll.store.apply(this, args);
    };
    IDBIndex.prototype.getAll = function (this: IDBIndex, ...args: Parameters<IDBIndex['getAll']>) {
      getAllCalls += 1;
      return realGetAll.index.apply(this, args);
    };
  });

  afterEach(async () => {
    IDBObjectStore.prototype.getAll = realGetAll.store;
    IDBIndex.prototype.getAll = realGetAll.index;
    IDBDatabase.prototype.transaction = realTransaction;
    delete (globalThis as { chrome?: unknown }).chrome;
    localStorage.removeItem('patkit:popup-server');
    localStorage.removeItem('patkit:popup-first-rows');
    document.body.replaceChildren();
    await deleteDatabase();
  });

  it('paints only the rows the list showed first last time, in that order, without reading the whole snapshot', async () => {
    // The hint's last id is a token deleted since: the rows before it are painted all the same.
    const ids = ['tok_0007', 'tok_0003', 'tok_0042', 'tok_gone'];
    localStorage.setItem('patkit:popup-first-rows', JSON.stringify({ serverId: SERVER, ids }));
    const list = await runFirstPaint();
    expect(list.hidden).to.equal(false);
    expect(names(list)).to.deep.equal(['token 7', 'token 3', 'token 42']);
    expect(getAllCalls).to.equal(0);
  });

  it('shows the hinted rows as soon as the last one is read, before the read commits', async () => {
    localStorage.setItem('patkit:popup-first-rows', JSON.stringify({ serverId: SERVER, ids: ['tok_0001', 'tok_0002'] }));
    // Registered on the script's own transaction before its handlers, so it runs before them.
    let committed = false;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      const tx = realTransaction.apply(this, args);
      tx.addEventListener('complete', () => (committed = true));
      return tx;
    };
    let committedAtPaint: boolean | null = null;
    const target = document.getElementById('first-paint')!;
    const observer = new MutationObserver(() => (committedAtPaint ??= committed));
    observer.observe(target, { childList: true });
    const list = await runFirstPaint();
    observer.disconnect();
    expect(names(list)).to.deep.equal(['token 1', 'token 2']);
    expect(committedAtPaint).to.equal(false);
  });

  it('without a hint, paints the first screenful newest first', async () => {
    const list = await runFirstPaint();
    expect(names(list)).to.deep.equal(Array.from({ length: 12 }, (_, i) => `token ${i}`));
  });

  it('paints nothing for a server with nothing cached, and still lets the app load', async () => {
    localStorage.setItem('patkit:popup-server', 'srv_other');
    const list = await runFirstPaint();
    expect(list.hidden).to.equal(true);
    expect(document.documentElement.dataset.firstPaint).to.equal('done');
  });
});
