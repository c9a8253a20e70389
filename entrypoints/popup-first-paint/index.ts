/**
 * The popup's first paint, before the component kit has even loaded: the first rows of the
 * last-opened server's token list, read straight from the IndexedDB metadata cache with the raw
 * IndexedDB API (no library) and written as plain text nodes. `main.ts` replaces them with the
 * real `<pat-token-list>` as soon as that has rendered the same cache, a few frames later. It is
 * the app-shell half of stale-while-revalidate (Bitwarden keeps a view cache for the same reason):
 * the popup's first rows come about as fast as an empty page opens (bench/popup.bench.ts),
 * whatever the kit weighs.
 *
 * A classic script (an unlisted WXT script, `popup-first-paint.js`) at the top of popup.html's
 * head, so the database opens while the rest of the page and its modules are still loading.
 * It reads only the rows the list showed first last time (their ids, in localStorage
 * `patkit:popup-first-rows`, written by main.ts), or the whole server snapshot when there is no
 * such hint.
 *
 * Read-only, and careful never to create the database: if it does not exist yet, the open is
 * aborted so lib's cache can create it with its own schema (lib/cache/schema.ts).
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { CACHE_DB_NAME } from '../../lib/cache/schema.ts';
import type { TokenMeta } from '../../lib/model.ts';
import { formatDay } from '../../lib/dates.ts';

const FIRST_ROWS_KEY = 'patkit:popup-first-rows';
const LAST_SERVER_KEY = 'patkit:popup-server';
const ROWS = 12;
interface I18n {
  getMessage(key: string): string;
}

/** The ids of the rows the list showed first last time, for this server (main.ts writes them). */
function firstRowsHint(serverId: string | null): string[] | null {
  try {
    const stored = JSON.parse(localStorage.getItem(FIRST_ROWS_KEY) ?? 'null') as { serverId?: string; ids?: unknown } | null;
    if (stored?.serverId === serverId && Array.isArray(stored?.ids)) return stored.ids.filter((id): id is string => typeof id === 'string').slice(0, ROWS);
  } catch {
    // An unreadable hint: read the whole snapshot instead.
  }
  return null;
}

function statusOf(i18n: I18n, token: TokenMeta, now: number): string {
  const say = (key: 'firstPaintDisabled' | 'firstPaintExpired' | 'firstPaintActive' | 'firstPaintExpiringSoon'): string => i18n.getMessage(key);
  if (token.status !== 'active') return say(token.status === 'disabled' ? 'firstPaintDisabled' : 'firstPaintExpired');
  if (token.expires_at === null) return say('firstPaintActive');
  const at = Date.parse(token.expires_at);
  if (at <= now) return say('firstPaintExpired');
  return say(at - now <= 7 * 86_400_000 ? 'firstPaintExpiringSoon' : 'firstPaintActive');
}

function paint(i18n: I18n, tokens: TokenMeta[], ordered: boolean): boolean {
  const target = document.getElementById('first-paint');
  if (!target || tokens.length === 0 || target.dataset.replaced) return false;
  // Without the hint: the list's default order, newest first.
  if (!ordered) tokens.sort((a, b) => (a.created_at === b.created_at ? 0 : (a.created_at ?? '') < (b.created_at ?? '') ? 1 : -1));
  const now = Date.now();
  const items = tokens.slice(0, ROWS).map((token) => {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = token.name || token.description || token.id;
    const state = document.createElement('span');
    state.className = 'state';
    state.textContent = statusOf(i18n, token, now);
    const expires = document.createElement('span');
    expires.className = 'expires';
    expires.textContent = token.expires_at ? formatDay(document.documentElement.lang || undefined, token.expires_at) : i18n.getMessage('firstPaintNever');
    li.append(name, state, expires);
    return li;
  });
  target.replaceChildren(...items);
  target.hidden = false;
  return true;
}

/**
 * Marks the rows as painted once a frame with them has been produced (the callback after the
 * next animation frame runs after that frame's paint), then lets the app load.
 */
function afterFrame(painted: boolean): void {
  requestAnimationFrame(() =>
    setTimeout(() => {
      if (painted) performance.mark('patkit:first-row');
      done();
    }, 0),
  );
}

/** Paints as soon as both the rows and the page's body are there (parsing ends before modules run). */
function whenParsed(run: () => void): void {
  if (document.readyState !== 'loading') run();
  else document.addEventListener('readystatechange', run, { once: true });
}

/** Tells the popup's entry (main.ts) it may load the app now. */
function done(): void {
  document.documentElement.dataset.firstPaint = 'done';
  document.dispatchEvent(new Event('patkit-first-paint'));
}

/**
 * Reads the hinted rows (or the server's whole snapshot) from an open cache and paints them. The
 * hinted rows are shown from the last read's success: requests in one transaction answer in
 * order, so every row is there by then, and waiting for the transaction's `complete` would cost
 * one more round trip to the browser's storage before the first row.
 */
function readAndPaint(db: IDBDatabase, serverId: string, hint: string[] | null, show: (tokens: TokenMeta[], ordered: boolean) => void): void {
  const tx = db.transaction('tokens', 'readonly');
  const store = tx.objectStore('tokens');
  if (hint && hint.length > 0) {
    const found: Array<TokenMeta | undefined> = new Array(hint.length);
    hint.forEach((id, i) => {
      const request = store.get([serverId, id]);
      request.onsuccess = () => {
        found[i] = (request.result as { token?: TokenMeta } | undefined)?.token;
        if (i === hint.length - 1) show(found.filter((t): t is TokenMeta => t !== undefined), true);
      };
    });
    tx.oncomplete = () => db.close();
  } else {
    const request = store.index('by-server').getAll(serverId);
    request.onsuccess = () => {
      db.close();
      show((request.result as Array<{ token: TokenMeta }>).map((record) => record.token), false);
    };
  }
  tx.onerror = () => {
    db.close();
    done();
  };
}

export default defineUnlistedScript(() => {
  const serverId = localStorage.getItem(LAST_SERVER_KEY);
  if (!serverId || typeof indexedDB === 'undefined') return done();
  // The open goes out first; the hint and the strings are read while the browser opens the cache.
  const open = indexedDB.open(CACHE_DB_NAME);
  const hint = firstRowsHint(serverId);
  // The browser's own i18n read directly (what wxt/browser resolves to), so this classic script imports nothing.
  const i18n = ((globalThis as { browser?: { i18n: I18n } }).browser ?? (globalThis as unknown as { chrome: { i18n: I18n } }).chrome).i18n;
  open.onupgradeneeded = () => open.transaction?.abort(); // no cache yet: create nothing
  open.onerror = () => done();
  open.onsuccess = () => {
    const db = open.result;
    try {
      readAndPaint(db, serverId, hint, (tokens, ordered) => whenParsed(() => afterFrame(paint(i18n, tokens, ordered))));
    } catch {
      db.close(); // an unexpected schema: leave the first paint to the list
      done();
    }
  };
});
